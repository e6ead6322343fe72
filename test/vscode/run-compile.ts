// Compiles the extension-host suites (test/vscode/suite/**/*.test.ts) and their mocha entry point
// into out/vscode-suite/, which both the code-server runner and the desktop (electron) runner load.
import { buildSync } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, RunnerError } from './run-common';

export const suiteOutDir = path.join(repoRoot, 'out', 'vscode-suite');
export const suiteIndex = path.join(suiteOutDir, 'index.js');

export function compileSuites(): string[] {
  const suiteDir = path.join(repoRoot, 'test', 'vscode', 'suite');
  const suites = readdirSync(suiteDir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => path.join(suiteDir, name));
  if (suites.length === 0) throw new RunnerError(`no suites (*.test.ts) under ${suiteDir}`);
  // Stale bundles of deleted suites would otherwise keep running.
  rmSync(suiteOutDir, { recursive: true, force: true });
  const common = {
    bundle: true,
    platform: 'node' as const,
    target: 'node20',
    format: 'cjs' as const,
    sourcemap: 'inline' as const,
    // vscode is provided by the extension host; mocha must be the one instance the index runs.
    external: ['vscode', 'mocha'],
    logLevel: 'error' as const,
  };
  buildSync({ ...common, entryPoints: suites, outbase: suiteDir, outdir: suiteOutDir });
  buildSync({ ...common, entryPoints: [path.join(__dirname, 'run-suite-index.ts')], outfile: suiteIndex });
  return suites.map((file) => path.relative(repoRoot, file));
}
