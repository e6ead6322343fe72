/**
 * Backtest of `projectMonth` on months made by the fake org's generator: for each day of a held-out
 * month, project from the months before it and compare with where the month really ended.
 * Run alone to print the table for docs/definitions.md: `npx tsx test/unit/projection-backtest.ts`.
 */
import { generateMonth, monthBounds } from '../fake-org/generator';
import { projectMonth, type ProjectionHistory } from '../../src/core/projection';
import type { UserActivity } from '../../src/core/types';

export interface BacktestMonth { month: string; users: number; sessionsPerUser: number }

/** Months of differing size and activity (sign-ins per user from 4 to 14), so their shapes are not all alike. */
export const VARIED_MONTHS: BacktestMonth[] = [
  { month: '2026-01', users: 1800, sessionsPerUser: 8 },
  { month: '2026-02', users: 2100, sessionsPerUser: 6 },
  { month: '2026-03', users: 1500, sessionsPerUser: 12 },
  { month: '2026-04', users: 2400, sessionsPerUser: 9 },
  { month: '2026-05', users: 1900, sessionsPerUser: 4 },
  { month: '2026-06', users: 2200, sessionsPerUser: 14 },
  { month: '2026-07', users: 1700, sessionsPerUser: 7 },
  { month: '2026-08', users: 2000, sessionsPerUser: 10 },
];
/** The same months with the same activity (8 sign-ins per user): the steady org the generator makes by default. */
export const STEADY_MONTHS: BacktestMonth[] = VARIED_MONTHS.map((m) => ({ ...m, sessionsPerUser: 8 }));
/** The first months only serve as history: a held-out month needs two months before it. */
export const FIRST_HELD_OUT = 2;
export const REPORTED_DAYS = [1, 3, 7, 14, 21, 28];

export interface BacktestResult {
  /** Mean |estimate − final| / final, by day of month, over the held-out months. */
  meanAbsErrorByDay: Map<number, number>;
  /** Share of (month, day) projections whose range held the final MAU, over every whole day 1 to the month's last but one. */
  coverage: number;
  projections: number;
  /** Mean (high − low) / final by day. */
  meanWidthByDay: Map<number, number>;
}

function completeMonth(month: string, users: number, sessionsPerUser: number, seed: number): ProjectionHistory {
  const { truth } = generateMonth({ month, seed, users, sessions: users * sessionsPerUser });
  const { since, until } = monthBounds(month);
  const list: UserActivity[] = Object.entries(truth.users).map(([id, u]) => ({ id, ...u }));
  return { month, since: new Date(since).toISOString(), until: new Date(until).toISOString(), fetchedUntil: new Date(until).toISOString(), users: list, mau: truth.mau, complete: true };
}

/** The month as it would read counted `days` days after its start. */
export function runningAt(m: ProjectionHistory, days: number): ProjectionHistory {
  const upTo = Date.parse(m.since) + days * 86_400_000;
  const users = m.users.filter((u) => Date.parse(u.firstSeen) < upTo);
  return { ...m, fetchedUntil: new Date(upTo).toISOString(), users, mau: users.length };
}

const generated = new WeakMap<readonly BacktestMonth[], ProjectionHistory[]>();

/** The months of a backtest, as complete counts with their users (generated once per spec: read them, never change them). */
export function generatedMonths(spec: readonly BacktestMonth[]): ProjectionHistory[] {
  let months = generated.get(spec);
  if (!months) generated.set(spec, (months = spec.map((m, i) => completeMonth(m.month, m.users, m.sessionsPerUser, 0x5eed + i * 7919))));
  return months;
}

export function runBacktest(spec: readonly BacktestMonth[]): BacktestResult {
  const months = generatedMonths(spec);
  const errors = new Map<number, number[]>(REPORTED_DAYS.map((d) => [d, []]));
  const widths = new Map<number, number[]>(REPORTED_DAYS.map((d) => [d, []]));
  let inRange = 0;
  let projections = 0;
  for (let i = FIRST_HELD_OUT; i < months.length; i++) {
    const held = months[i];
    const days = (Date.parse(held.until) - Date.parse(held.since)) / 86_400_000;
    for (let d = 1; d < days; d++) {
      const p = projectMonth(runningAt(held, d), months.slice(0, i));
      if (p.kind !== 'projected') throw new Error(`${held.month} day ${d}: ${p.kind}`);
      projections++;
      if (p.low <= held.mau && held.mau <= p.high) inRange++;
      errors.get(d)?.push(Math.abs(p.estimate - held.mau) / held.mau);
      widths.get(d)?.push((p.high - p.low) / held.mau);
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    meanAbsErrorByDay: new Map([...errors].map(([d, xs]) => [d, mean(xs)])),
    meanWidthByDay: new Map([...widths].map(([d, xs]) => [d, mean(xs)])),
    coverage: inRange / projections,
    projections,
  };
}

/** The table as docs/definitions.md shows it. */
export function backtestTable(r: BacktestResult): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const rows = REPORTED_DAYS.map((d) => `| ${d} | ${pct(r.meanAbsErrorByDay.get(d) ?? NaN)} | ${pct(r.meanWidthByDay.get(d) ?? NaN)} |`);
  return [
    '| Counted to day | Mean abs. error of the estimate | Mean width of the range |',
    '| ---: | ---: | ---: |',
    ...rows,
    '',
    `Final MAU inside [low, high]: ${pct(r.coverage)} of ${r.projections} projections.`,
  ].join('\n');
}

if (require.main === module) {
  console.log(`Varied months (sign-ins per user 4 to 14):\n\n${backtestTable(runBacktest(VARIED_MONTHS))}\n`);
  console.log(`Steady months (8 sign-ins per user):\n\n${backtestTable(runBacktest(STEADY_MONTHS))}`);
}
