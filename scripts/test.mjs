// Runs every test tier in order and ends with one summary line, "N passed, M failed".
// Each tier's own output streams through; mocha's "N passing / N failing" lines are added up, and
// every failing tier's failure report is printed again just above the summary, so that a log cut to
// its last lines still says which tests failed and why.
import { spawn } from 'node:child_process';

const tiers = [
  ['type check', 'npx', ['tsc', '--noEmit', '-p', '.']],
  ['lint', 'npx', ['eslint', 'src', 'test', 'scripts', 'bench']],
  ['unit', 'npx', ['mocha', 'test/unit/**/*.test.ts']],
  ['integration', 'npx', ['mocha', 'test/integration/**/*.test.ts']],
  ['VS Code set-up', 'node', ['scripts/setup-vscode-env.mjs']],
  ['VS Code extension host', 'npx', ['tsx', 'test/vscode/run-host.ts']],
  ['VS Code UI', 'npx', ['tsx', 'test/vscode/run-ui.ts']],
];
const only = process.argv.slice(2);

function run(cmd, args) {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => process.stderr.write(d));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), out }));
  });
}

let passed = 0;
let failed = 0;
const failedTiers = [];
const recaps = [];
const started = Date.now();
for (const [name, cmd, args] of tiers) {
  if (only.length && !only.some((o) => name.toLowerCase().includes(o.toLowerCase()))) continue;
  const t0 = Date.now();
  console.log(`\n=== ${name} ===`);
  const { code, out } = await run(cmd, args);
  const plain = out.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
  const tierPassed = [...plain.matchAll(/^\s*(\d+) passing/gm)].reduce((n, m) => n + Number(m[1]), 0);
  const tierFailed = [...plain.matchAll(/^\s*(\d+) failing/gm)].reduce((n, m) => n + Number(m[1]), 0);
  passed += tierPassed;
  failed += tierFailed;
  if (code !== 0) {
    failedTiers.push(name);
    if (tierFailed === 0) failed++; // a tier that broke before reporting still counts as a failure
    const at = plain.search(/^\s*\d+ failing/m);
    const report = (at >= 0 ? plain.slice(at) : plain.slice(-4000)).split('\n');
    recaps.push(`--- ${name} ---\n${report.slice(0, 80).join('\n')}${report.length > 80 ? '\n…' : ''}`);
  }
  console.log(`=== ${name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s ===`);
}
if (recaps.length) console.log(`\n=== what failed ===\n${recaps.join('\n')}`);
console.log(`\nAll tiers in ${((Date.now() - started) / 60000).toFixed(1)} min${failedTiers.length ? `; failed: ${failedTiers.join(', ')}` : ''}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failedTiers.length ? 1 : 0);
