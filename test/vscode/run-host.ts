// Runs the extension-host suites inside a real VS Code: code-server's extension host, opened by
// headless Chromium with the extension loaded from this checkout (extensionDevelopmentPath).
// Usage: tsx test/vscode/run-host.ts [--no-build] [--env NAME=VALUE]... [--grep PATTERN]
// Exit code: the suites' (0 all passed, 1 a failure), 2 when the run itself could not happen.
import util from 'node:util';
import { compileSuites, suiteIndex } from './run-compile';
import { envFromArgs, repoRoot, run, runInExtensionHost, RunnerError } from './run-common';

// The workbench's own chatter that says nothing about the suites: no extension gallery offline,
// no proprietary vsda module in code-server, connection bookkeeping.
const HARMLESS_NOISE = /open-vsx\.org|vsda|connection token|Creating a socket|builtin extensions cache|Service Worker|ChatSessionStore/;
const HARD_TIMEOUT_MS = Number(process.env.OKTA_MAU_VSCODE_TIMEOUT_MS ?? 5 * 60_000);

async function main(argv: string[]): Promise<number> {
  const started = Date.now();
  if (!argv.includes('--no-build')) run(process.execPath, ['scripts/build.mjs']);
  const suites = compileSuites();
  console.log(`run-host: ${suites.length} suite file(s): ${suites.join(', ')}`);
  const grepAt = argv.indexOf('--grep');
  const env: Record<string, string> = {
    OKTA_MAU_TEST: '1',
    ...(grepAt >= 0 ? { OKTA_MAU_SUITE_GREP: argv[grepAt + 1] ?? '' } : {}),
    ...envFromArgs(argv),
  };
  const code = await runInExtensionHost({
    extensionDir: repoRoot,
    testsIndex: suiteIndex,
    env,
    onLine: (line) => {
      if (!HARMLESS_NOISE.test(line)) console.log(line);
    },
    timeoutMs: HARD_TIMEOUT_MS,
  });
  console.log(`run-host: suites exited with code ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return code;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof RunnerError ? error.message : util.inspect(error);
    console.error(`run-host: ${message}`);
    process.exit(2);
  },
);
