// Counts the MAUs of a generated fake Okta org with the real `okta-mau` command line (dist/cli.js)
// and checks the answer against the generator's ground truth. Exits non-zero on any mismatch.
//   node scripts/demo.mjs [--month YYYY-MM] [--users N] [--sessions N]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

function lastCompleteMonth(now = new Date()) {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

const { values } = parseArgs({
  options: { month: { type: 'string' }, users: { type: 'string' }, sessions: { type: 'string' } },
  strict: true,
});
const month = values.month ?? lastCompleteMonth();
const users = values.users ?? '2500';
const sessions = values.sessions ?? '20000';
for (const [name, v] of [['--users', users], ['--sessions', sessions]]) {
  if (!/^[1-9]\d*$/.test(v)) {
    console.error(`demo: ${name} must be a positive whole number (got "${v}")`);
    process.exit(2);
  }
}
if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
  console.error(`demo: --month must be YYYY-MM (got "${month}")`);
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'okta-mau-demo-'));
const truthFile = join(work, 'truth.json');
let org;
const cleanup = () => {
  if (org && org.exitCode === null) org.kill();
  rmSync(work, { recursive: true, force: true });
};
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

/** Starts the fake org and resolves with the one JSON line it prints once it listens. */
function startOrg() {
  org = spawn(
    'node_modules/.bin/tsx',
    ['test/fake-org/main.ts', '--month', month, '--seed', '7', '--users', users, '--sessions', sessions, '--truth-file', truthFile],
    // stdin stays open: the fake org exits when it closes, so it cannot outlive this script.
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: org.stdout });
    lines.once('line', (line) => {
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error(`the fake org printed something other than JSON: ${line.slice(0, 200)}`));
      }
    });
    org.once('exit', (code) => reject(new Error(`the fake org exited early (code ${code})`)));
  });
}

/** Runs dist/cli.js; `capture` collects stdout instead of showing it. */
function cli(args, env, capture) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/cli.js', ...args], {
      env,
      stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    });
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

const { url, token } = await startOrg();
console.log(`Fake Okta org at ${url}: ${users} users, ${sessions} sign-in sessions in ${month} (seed 7)\n`);

// Only the token from the fake org: an admin's own OAuth variables must not change what is counted.
const env = { ...process.env, OKTA_API_TOKEN: token };
for (const name of ['OKTA_CLIENT_ID', 'OKTA_PRIVATE_KEY', 'OKTA_KEY_ID', 'OKTA_ORG_URL']) delete env[name];
// The simulated org is not worth keeping: nothing goes into the user's okta-mau cache.
const args = ['count', '--org-url', url, '--month', month, '--no-cache'];

console.log(`$ okta-mau ${args.join(' ')}`);
const table = await cli(args, env, false);
if (table.code !== 0) {
  console.error(`demo: okta-mau exited with code ${table.code}`);
  process.exit(1);
}
const json = await cli([...args, '--format', 'json'], env, true);
if (json.code !== 0) {
  console.error(`demo: okta-mau --format json exited with code ${json.code}`);
  process.exit(1);
}
const report = JSON.parse(json.out);
const truth = JSON.parse(readFileSync(truthFile, 'utf8'));

const truthUsers = new Map(Object.entries(truth.users));
const problems = [];
if (report.mau !== truth.mau) problems.push(`MAU ${report.mau} != ${truth.mau}`);
if (report.events !== truth.events) problems.push(`${report.events} events counted, truth has ${truth.events}`);
if (report.users.length !== truthUsers.size) problems.push(`${report.users.length} users listed, truth has ${truthUsers.size}`);
for (const u of report.users) {
  const t = truthUsers.get(u.id);
  if (!t) problems.push(`${u.login} is not active in the ground truth`);
  else {
    for (const field of ['sessions', 'activeDays', 'firstSeen', 'lastSeen']) {
      if (t[field] !== undefined && t[field] !== u[field]) problems.push(`${u.login} ${field} ${u[field]} != ${t[field]}`);
    }
  }
}

const top = report.users.slice(0, 10);
const width = Math.max(20, ...top.map((u) => `sessions of ${u.login}`.length)) + 2;
const pad = (s, n) => String(s).padEnd(n);
const row = (label, mine, theirs) => console.log(`  ${pad(label, width)} ${pad(mine, 10)} ${theirs}`);
console.log(`\nokta-mau (JSON) beside the generator's ground truth for ${month}:`);
row('', 'okta-mau', 'truth');
row('MAU', report.mau, truth.mau);
row('counted sign-in events', report.events, truth.events);
for (const u of top) row(`sessions of ${u.login}`, u.sessions, truthUsers.get(u.id)?.sessions ?? '-');
console.log(`\nmatches ground truth: ${problems.length === 0 ? 'yes' : 'no'}`);
for (const p of problems.slice(0, 20)) console.log(`  ${p}`);
process.exit(problems.length === 0 ? 0 : 1);
