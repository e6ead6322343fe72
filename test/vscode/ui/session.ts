// One UI session: a fake Okta org with a generated month of sign-ins, code-server with the
// packaged extension (.vsix) installed, and a Chromium page on its workbench.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { generateMonth, generateUsers, groundTruth, monthBounds, startFakeOrg, type FakeOrg, type GroundTruth, type LogEvent, type OktaUser } from '../../fake-org';
import { launchChromium, repoRoot, RunnerError, startCodeServer, type CodeServer } from '../run-common';
import { Workbench } from './workbench';
import type { Locator } from 'playwright-core';

export const VSIX = path.join(repoRoot, 'dist', 'okta-mau.vsix');

export interface UiSession {
  org: FakeOrg;
  truth: GroundTruth;
  /** Exactly the events the org serves. */
  events: LogEvent[];
  /** The users its Users API serves (none unless `directory` was given). */
  users: OktaUser[];
  month: string;
  server: CodeServer;
  workbench: Workbench;
  close(): Promise<void>;
}

export interface UiSessionOptions {
  /** Distinct active users in the generated month: the MAU the workbench must show. */
  users: number;
  sessions: number;
  /** Added to every fake-org response, so the progress notification stays up long enough to see. */
  latencyMs: number;
  /** Users for the Users API besides those who signed in: `generateUsers`' users with no event at all. */
  directory?: { dormant: number; hostileNames?: number };
}

export async function startUiSession(options: UiSessionOptions): Promise<UiSession> {
  if (!existsSync(VSIX)) throw new RunnerError(`${VSIX} is missing: run \`npm run package\` first`);
  const now = new Date();
  // "Count MAUs" counts the current UTC month, so that is the month the org holds.
  const month = now.toISOString().slice(0, 7);
  const generated = generateMonth({ month, seed: 20250, users: options.users, sessions: options.sessions });
  // The generator fills the whole month, but a real org holds nothing after "now" and the count
  // of the current month stops there. Squeezing the month's events into [month start, a minute
  // ago) keeps every generated user active whatever the day of the month (on the 1st too);
  // later events (the next month's edge cases) cannot exist yet and are dropped.
  const { since, until } = monthBounds(month);
  const cutoff = now.getTime() - 60_000;
  const scale = (cutoff - since) / (until - since);
  const events = generated.events
    .map((e) => {
      const at = Date.parse(e.published);
      return at >= since && at < until ? { ...e, published: new Date(since + Math.floor((at - since) * scale)).toISOString() } : e;
    })
    .filter((e) => Date.parse(e.published) < cutoff);
  // The expected answer is recomputed from exactly what the org serves.
  const truth = groundTruth(events, { since, until: cutoff });
  const users = options.directory ? generateUsers(events, { seed: 20250, ...options.directory, asOf: now }) : [];
  const org = await startFakeOrg({ events, users, latencyMs: options.latencyMs });
  const closers: (() => Promise<void>)[] = [() => org.close()];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    const server = await startCodeServer({ vsix: VSIX });
    closers.push(() => server.stop());
    const browser = await launchChromium();
    closers.push(() => browser.close());
    const page = await browser.context.newPage();
    const workbench = new Workbench(page);
    await workbench.open(server.url, server.workspace, 'Okta MAU');
    return { org, truth, events, users, month, server, workbench, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The month before the session's, as the org holds it once `withPreviousMonth` has added to it. */
export interface PreviousMonth {
  month: string;
  events: LogEvent[];
  truth: GroundTruth;
}

/**
 * Fills the month before the session's: a third of this month's users signed in then too, `spacingMs`
 * apart from its first instant on, beside the generator's edge sign-ins already before this month.
 * `options` are the ones the session was started with, so the same users come back.
 */
export function withPreviousMonth(s: UiSession, options: Pick<UiSessionOptions, 'users' | 'sessions'>, spacingMs: number): PreviousMonth {
  const { since } = monthBounds(s.month);
  const month = new Date(since - 86_400_000).toISOString().slice(0, 7);
  const window = monthBounds(month);
  const generated = generateMonth({ month: s.month, seed: 20250, users: options.users, sessions: options.sessions }).events;
  const alreadyThere = generated.filter((e) => Date.parse(e.published) >= window.since && Date.parse(e.published) < window.until);
  const signIns = generated.filter((e) => e.eventType === 'user.session.start' && e.outcome?.result === 'SUCCESS' && e.actor.type === 'User');
  const returning: LogEvent[] = [...new Map(signIns.map((e) => [e.actor.id, e])).values()]
    .filter((_, i) => i % 3 === 0)
    .map((e, i) => ({ ...e, uuid: `prev-${i}`, published: new Date(window.since + spacingMs * (i + 1)).toISOString() }));
  s.org.appendEvents(returning);
  const events = [...alreadyThere, ...returning];
  return { month, events, truth: groundTruth(events, window) };
}

/**
 * Adds the session's org through the palette with its API token, then counts `monthTitle` ("November
 * 2026") through "Count MAUs for Month…", and returns the notification that says the count is done.
 */
export async function addOrgAndCountMonth(s: UiSession, monthTitle: string): Promise<Locator> {
  const wb = s.workbench;
  await wb.runCommand('Okta: Add Org');
  await wb.answerInputBox('Add Okta org (1/3)', s.org.url);
  await wb.pickQuickItem('Add Okta org (2/3)', 'API token');
  await wb.answerInputBox('Add Okta org (3/3)', s.org.token);
  await wb.notification(/added and active/);
  await wb.runCommand('Okta: Count MAUs for Month…');
  await wb.pickQuickItem(`Count MAUs for ${new URL(s.org.url).host}`, monthTitle);
  return wb.notification(` MAU in ${monthTitle}.`, 90_000);
}
