// Runs the same extension-host suites as run-host.ts, in a desktop VS Code through
// @vscode/test-electron, for machines that have one (CI here uses code-server instead).
// Usage: tsx test/vscode/electron/run-electron.ts [--vscode /path/to/code] [--no-build]
// VSCODE_EXECUTABLE works like --vscode. Without either, test-electron downloads VS Code 1.100.3.
import { runTests, TestRunFailedError } from '@vscode/test-electron';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileSuites, suiteIndex } from '../run-compile';
import { repoRoot, run, RunnerError } from '../run-common';

// The VS Code the manifest targets (engines.vscode ^1.100.0) and code-server 4.100.3 embeds.
const VSCODE_VERSION = '1.100.3';

function executableFrom(argv: string[]): string | undefined {
  const at = argv.indexOf('--vscode');
  const given = at >= 0 ? argv[at + 1] : process.env.VSCODE_EXECUTABLE;
  if (given === undefined || given === '') return undefined;
  if (!existsSync(given)) throw new RunnerError(`VS Code executable not found at ${given}: pass --vscode <path to code>`);
  return given;
}

async function main(argv: string[]): Promise<number> {
  const vscodeExecutablePath = executableFrom(argv);
  if (!argv.includes('--no-build')) run(process.execPath, ['scripts/build.mjs']);
  compileSuites();
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'okta-mau-electron-ws-'));
  const userData = mkdtempSync(path.join(os.tmpdir(), 'okta-mau-electron-ud-'));
  try {
    return await runTests({
      ...(vscodeExecutablePath ? { vscodeExecutablePath } : { version: VSCODE_VERSION }),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: suiteIndex,
      extensionTestsEnv: { OKTA_MAU_TEST: '1' },
      // Other installed extensions would slow activation and could interfere with the suites.
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${userData}`],
    });
  } catch (error) {
    // runTests rejects with the suites' failure or with a download/launch problem; tell them apart.
    if (error instanceof TestRunFailedError) return error.code ?? 1;
    const message = error instanceof Error ? error.message : String(error);
    const hint = vscodeExecutablePath ? '' : ' (no VS Code could be downloaded: pass --vscode <path> or set VSCODE_EXECUTABLE)';
    throw new RunnerError(`VS Code could not be started: ${message.split('\n')[0]}${hint}`);
  } finally {
    rmSync(workspace, { recursive: true, force: true });
    rmSync(userData, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    console.error(`test:electron: ${message}`);
    process.exit(2);
  },
);
