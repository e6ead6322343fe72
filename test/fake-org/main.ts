/**
 * Runs a generated fake org as its own process, for the demo and the benchmarks:
 *   npx tsx test/fake-org/main.ts --month 2026-10 --seed 42 --users 40000 --sessions 200000 \
 *     [--failures 0.1] [--other 0.5] [--latency 150] [--rate-limit 40/2000] [--port 0] [--host 127.0.0.1] \
 *     [--truth-file truth.json] [--no-edges] [--dormant N [--hostile-names N]]
 * Prints one JSON line when listening: { url, token, month, truth: { mau, events } }, plus `users`
 * (how many the Users API serves) with --dormant, which gives the org a directory (see generateUsers).
 * Runs until SIGINT/SIGTERM or until stdin closes (so a parent that dies takes it along).
 */
import { writeFileSync } from 'node:fs';
import { generateMonthStore, monthBounds } from './generator';
import { startFakeOrg } from './server';
import { groundTruth } from './truth';
import { generateUsers } from './users';

function parseArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}"`);
    const eq = a.indexOf('=');
    if (eq > 0) args.set(a.slice(2, eq), a.slice(eq + 1));
    else if (a === '--no-edges') args.set('no-edges', 'true');
    else args.set(a.slice(2), argv[++i] ?? '');
  }
  return args;
}

function num(args: Map<string, string>, name: string, fallback: number): number {
  const raw = args.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got "${raw}"`);
  return n;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const month = args.get('month') ?? new Date().toISOString().slice(0, 7);
  const users = num(args, 'users', 1000);
  const store = generateMonthStore({
    month,
    seed: num(args, 'seed', 42),
    users,
    sessions: num(args, 'sessions', users * 5),
    failureRate: num(args, 'failures', 0.1),
    otherEventsRate: num(args, 'other', 0.5),
    edges: !args.has('no-edges'),
  });
  const directory = args.has('dormant')
    ? generateUsers(store.truthViews(), { seed: num(args, 'seed', 42), dormant: num(args, 'dormant', 0), hostileNames: num(args, 'hostile-names', 0) })
    : undefined;
  const rl = args.get('rate-limit');
  const rate = rl ? /^(\d+)\/(\d+)$/.exec(rl) : null;
  if (rl && !rate) throw new Error(`--rate-limit must be LIMIT/WINDOW_MS, e.g. 40/2000, got "${rl}"`);
  const org = await startFakeOrg({
    store,
    latencyMs: num(args, 'latency', 0),
    rateLimit: rate ? { limit: Number(rate[1]), windowMs: Number(rate[2]) } : null,
    port: num(args, 'port', 0),
    host: args.get('host') ?? '127.0.0.1',
    tokens: args.get('token') ? [args.get('token') as string] : undefined,
    users: directory,
  });
  const { since, until } = monthBounds(month);
  const truth = groundTruth(store.truthViews(), { since, until });
  const truthFile = args.get('truth-file');
  if (truthFile) writeFileSync(truthFile, JSON.stringify({ month, since: new Date(since).toISOString(), until: new Date(until).toISOString(), totalEvents: store.size, ...truth }));
  process.stdout.write(JSON.stringify({ url: org.url, token: org.token, month, totalEvents: store.size, truth: { mau: truth.mau, events: truth.events }, ...(directory ? { users: directory.length } : {}) }) + '\n');

  const stop = () => {
    void org.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
}

main().catch((err: unknown) => {
  process.stderr.write(`fake-org: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
