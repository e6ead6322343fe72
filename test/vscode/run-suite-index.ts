// Loaded by VS Code's extension host as `extensionTestsPath`: runs every compiled suite next to it
// with mocha. The host calls `run()` and reports exit code 0 when it resolves, 1 when it rejects.
import { readdirSync } from 'node:fs';
import path from 'node:path';

interface MochaRunner {
  addFile(file: string): void;
  run(done: (failures: number) => void): void;
}
type MochaConstructor = new (options: Record<string, unknown>) => MochaRunner;

export function run(): Promise<void> {
  // mocha stays external to the bundle and resolves from the repository's node_modules.
  // mocha 12 no longer exports the constructor itself; accept both shapes.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require('mocha') as MochaConstructor & { Mocha?: MochaConstructor };
  const Mocha = exported.Mocha ?? exported;
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false, // the report travels through console.log to the runner, not a TTY
    timeout: Number(process.env.OKTA_MAU_SUITE_TIMEOUT_MS ?? 60_000),
    grep: process.env.OKTA_MAU_SUITE_GREP || undefined,
  });
  const files = readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  if (files.length === 0) return Promise.reject(new Error(`no compiled suites in ${__dirname}`));
  for (const name of files) mocha.addFile(path.join(__dirname, name));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}
