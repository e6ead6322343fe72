// Makes a fresh clone ready to run: installs the npm dependencies when they are missing or stale,
// then builds dist/. Used by `npm run demo` and `npm test`, so each is one command on a new machine.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const run = (cmd) => execSync(cmd, { stdio: 'inherit' });
const stamp = 'node_modules/.package-lock.json';
const stale = !existsSync(stamp) || statSync('package-lock.json').mtimeMs > statSync(stamp).mtimeMs;
if (stale) {
  console.error('Installing dependencies (npm ci)…');
  run('npm ci --no-audit --no-fund');
}
run('node scripts/build.mjs');
