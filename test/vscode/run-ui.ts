// UI tests: packages the extension, and runs test/vscode/ui/*.ui.ts with mocha in this Node
// process; each suite installs the .vsix into a fresh code-server and drives it through Chromium.
// Usage: tsx test/vscode/run-ui.ts [--no-build] [--grep PATTERN]
// Screenshots land in test-results/ui/; `npm run screenshots` copies the chosen ones to media/.
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { repoRoot, run, RunnerError, withTimeout } from './run-common';

const HARD_TIMEOUT_MS = Number(process.env.OKTA_MAU_VSCODE_TIMEOUT_MS ?? 5 * 60_000);

async function main(argv: string[]): Promise<number> {
  const started = Date.now();
  if (!argv.includes('--no-build')) {
    run(process.execPath, ['scripts/build.mjs']);
    run('npm', ['run', '--silent', 'package'], repoRoot, { quiet: true });
  }
  const uiDir = path.join(__dirname, 'ui');
  const files = readdirSync(uiDir).filter((f) => f.endsWith('.ui.ts')).sort();
  if (files.length === 0) throw new RunnerError(`no UI suites (*.ui.ts) in ${uiDir}`);
  const grepAt = argv.indexOf('--grep');
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', grep: grepAt >= 0 ? argv[grepAt + 1] : undefined });
  for (const f of files) mocha.addFile(path.join(uiDir, f));
  // The suites are TypeScript: this process runs under tsx, whose require hook loads them.
  const failures = await withTimeout(
    new Promise<number>((resolve) => mocha.run(resolve)),
    HARD_TIMEOUT_MS,
    `the UI tests did not finish within ${HARD_TIMEOUT_MS / 1000} s`,
  );
  console.log(`run-ui: ${failures === 0 ? 'passed' : `${failures} failed`} after ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${path.relative(repoRoot, path.join(repoRoot, 'test-results', 'ui'))}/`);
  return failures === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof RunnerError ? error.message : util.inspect(error);
    console.error(`run-ui: ${message}`);
    process.exit(2);
  },
);
