// Runs the extension-host suites inside a real VS Code: code-server's extension host, opened by
// headless Chromium with the extension loaded from this checkout (extensionDevelopmentPath).
// Usage: tsx test/vscode/run-host.ts [--no-build] [--env NAME=VALUE]... [--grep PATTERN]
// Exit code: the suites' (0 all passed, 1 a failure), 2 when the run itself could not happen.
import util from 'node:util';
import { compileSuites, suiteIndex } from './run-compile';
import { envFromArgs, launchChromium, repoRoot, run, RunnerError, startCodeServer, withTimeout } from './run-common';

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
  const server = await startCodeServer({ env });
  const browser = await launchChromium().catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  try {
    const page = await browser.context.newPage();
    let finish: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      const line = util.format(...(Array.isArray(args) ? args : [args]));
      if (!HARMLESS_NOISE.test(line)) console.log(line);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));
    // The payload's URIs must carry the page's own authority, or the workbench treats them as foreign.
    const remote = (p: string) => `vscode-remote://${server.authority}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(repoRoot)],
      ['extensionTestsPath', remote(suiteIndex)],
      ['skipWelcome', 'true'],
    ]);
    const query = `folder=${encodeURIComponent(server.workspace)}&payload=${encodeURIComponent(payload)}`;
    await page.goto(`${server.url}/?${query}`);
    const code = await withTimeout(
      exitCode,
      HARD_TIMEOUT_MS,
      `the suites did not finish within ${HARD_TIMEOUT_MS / 1000} s (code-server log: ${server.logFile})`,
    );
    console.log(`run-host: suites exited with code ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return code;
  } finally {
    await browser.close();
    await server.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof RunnerError ? error.message : util.inspect(error);
    console.error(`run-host: ${message}`);
    process.exit(2);
  },
);
