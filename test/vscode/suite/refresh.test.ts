// Incremental refresh of the current month through the commands: a recount fetches only what was
// published since the saved count (minus the overlap), picks up late events, survives a restart,
// equals a count from scratch, and a cancelled refresh leaves the saved count alone.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { generateMonth, groundTruth, monthBounds, startFakeOrg, type LogEvent } from '../../fake-org';
import type { OktaMauApi } from '../../../src/extension/api';
import type { MauReport } from '../../../src/core/types';
import { addOrg, collecting, currentMonth, extensionApi, label, monthNode, readText, resetExtension, waitFor } from './helpers';

type FakeOrg = Awaited<ReturnType<typeof startFakeOrg>>;

const OVERLAP_MS = 10 * 60_000;
const isSignIn = (e: LogEvent) => e.eventType === 'user.session.start' && e.outcome?.result === 'SUCCESS' && e.actor.type === 'User';

/** A month of sign-ins squeezed into [month start, `cutoff`), so the test works on any day of the month. */
function squeezed(month: string, seed: number, users: number, sessions: number, cutoff: number): LogEvent[] {
  const { since, until } = monthBounds(month);
  const scale = (cutoff - since) / (until - since);
  return generateMonth({ month, seed, users, sessions })
    .events.map((e) => {
      const at = Date.parse(e.published);
      return at >= since && at < until ? { ...e, published: new Date(since + Math.floor((at - since) * scale)).toISOString() } : e;
    })
    .filter((e) => Date.parse(e.published) < cutoff);
}

describe('incremental refresh', () => {
  let api: OktaMauApi;
  let org: FakeOrg;
  let orgId: string;
  const month = currentMonth();
  const start = monthBounds(month).since;
  const served: LogEvent[] = [];
  const savedFile = () => vscode.Uri.joinPath(api.resultsUri, orgId, `${month}.json`);
  const saved = async (): Promise<MauReport> => JSON.parse(await readText(savedFile())).report;
  const countCurrent = () => vscode.commands.executeCommand<MauReport | undefined>('oktaMau.countMaus', { orgId });
  const truthNow = () => groundTruth(served, { since: start, until: Date.now() });

  /** Sign-ins of new users published just now, and late ones published inside the overlap. */
  function publishMore(seed: number, firstCount: MauReport): { late: LogEvent[]; fresh: LogEvent[] } {
    const overlapFrom = Date.parse(firstCount.checkpoint!.overlapFrom);
    const now = Date.now();
    const others = generateMonth({ month, seed, users: 15, sessions: 30 }).events.filter(isSignIn);
    const fresh = others.map((e, i) => ({ ...e, uuid: `fresh-${seed}-${i}`, published: new Date(now - 2000 + i).toISOString() }));
    // Published (by their timestamp) before the first count ended, but only served now: the System Log's late events.
    const late = served.filter(isSignIn).slice(0, 5).map((e, i) => ({ ...e, uuid: `late-${seed}-${i}`, published: new Date(Math.max(overlapFrom, start) + 1000 * (i + 1)).toISOString() }));
    served.push(...late, ...fresh);
    org.appendEvents([...late, ...fresh]);
    return { late, fresh };
  }

  before(async () => {
    api = await extensionApi();
    await resetExtension(api);
    served.push(...squeezed(month, 61, 150, 1500, Date.now() - 60_000));
    org = await startFakeOrg({ events: served });
    orgId = (await addOrg(org.url, { mode: 'SSWS', token: org.token }))!;
    assert.ok(orgId);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('oktaMau').update('incrementalRefresh', undefined, vscode.ConfigurationTarget.Global);
    await resetExtension(api);
    await org?.close();
  });

  it('counts the current month in full the first time', async () => {
    const first = await countCurrent();
    assert.equal(first?.incremental, false);
    assert.equal(first?.mau, truthNow().mau);
    const { checkpoint, fetchedUntil } = await saved();
    assert.ok(checkpoint && fetchedUntil, 'the saved count has no refresh checkpoint');
    assert.equal(Date.parse(fetchedUntil) - Date.parse(checkpoint.overlapFrom), OVERLAP_MS);
  });

  it('recounts by fetching only from the overlap on, picking up late and new sign-ins', async () => {
    const first = await saved();
    const { late, fresh } = publishMore(62, first);
    const before = org.requests.length;
    const refreshed = await countCurrent();
    const requests = org.requests.slice(before).filter((r) => r.endpoint === 'logs');
    assert.ok(refreshed);
    assert.equal(refreshed.incremental, true);
    assert.ok(requests.length > 0);
    const overlapFrom = first.checkpoint!.overlapFrom;
    for (const r of requests) {
      // Follow-up pages carry only the opaque cursor; every first page starts at the overlap or later.
      if (r.query.since !== undefined) assert.ok(r.query.since >= overlapFrom, `a request fetched from ${r.query.since}, before the overlap (${overlapFrom})`);
      else assert.ok(r.query.after, `a request with neither since nor after: ${r.path}`);
    }
    const truth = truthNow();
    assert.equal(refreshed.mau, truth.mau);
    assert.equal(refreshed.events, truth.events);
    const ids = new Set(refreshed.users.map((u) => u.id));
    for (const e of [...late, ...fresh]) assert.ok(ids.has(e.actor.id), `${e.actor.alternateId} is missing`);
    for (const u of refreshed.users) assert.equal(u.sessions, truth.users[u.id]?.sessions, `sessions of ${u.login}`);
  });

  it('says in the tree that the month was refreshed, and how', async () => {
    const item = api.treeItem(await monthNode(api, orgId, month));
    // A running month: counted so far, to the day of the refresh; never "complete".
    assert.match(String(item.description), /^[\d,]+ MAU so far · to [A-Z][a-z]{2} \d{1,2} · refreshed just now$/);
    const tooltip = (item.tooltip as vscode.MarkdownString).value;
    // "1 request", never "1 requests".
    const { requests: n } = await saved();
    const requests = n === 1 ? '1 request' : `${n.toLocaleString('en-US')} requests`;
    assert.match(tooltip, new RegExp(`Refreshed just now \\(.+\\): only events published since the previous count were fetched \\(${requests}\\)`));
    assert.match(tooltip, /Month to date: sign-ins up to [A-Z][a-z]{2} \d{1,2}, /);
  });

  it('keeps the refresh checkpoint across a restart', async () => {
    const first = await saved();
    publishMore(63, first);
    api.reloadResults();
    const before = org.requests.length;
    const refreshed = await countCurrent();
    assert.equal(refreshed?.incremental, true);
    assert.equal(refreshed?.mau, truthNow().mau);
    assert.ok(org.requests.slice(before).every((r) => r.query.since === undefined || r.query.since >= first.checkpoint!.overlapFrom));
  });

  it('Recount Month From Scratch fetches the whole month and finds the same users', async () => {
    const refreshed = await saved();
    const before = org.requests.length;
    const full = await vscode.commands.executeCommand<MauReport | undefined>('oktaMau.recountFromScratch', { orgId, month });
    assert.equal(full?.incremental, false);
    assert.ok(org.requests.slice(before).some((r) => r.query.since === new Date(start).toISOString()), 'no request started at the first instant of the month');
    assert.deepEqual(full!.users.map((u) => [u.id, u.sessions, u.activeDays]), refreshed.users.map((u) => [u.id, u.sessions, u.activeDays]));
    assert.deepEqual(full!.dailyActiveUsers, refreshed.dailyActiveUsers);
    assert.match(String(api.treeItem(await monthNode(api, orgId, month)).description), /· counted just now$/);
  });

  it('counts in full when oktaMau.incrementalRefresh is off', async () => {
    await vscode.workspace.getConfiguration('oktaMau').update('incrementalRefresh', false, vscode.ConfigurationTarget.Global);
    const before = org.requests.length;
    const report = await countCurrent();
    assert.equal(report?.incremental, false);
    assert.ok(org.requests.slice(before).some((r) => r.query.since === new Date(start).toISOString()));
    await vscode.workspace.getConfiguration('oktaMau').update('incrementalRefresh', undefined, vscode.ConfigurationTarget.Global);
  });

  it('a cancelled refresh leaves the saved count untouched', async () => {
    const before = await readText(savedFile());
    org.injectFault({ kind: 'hang', ms: 30_000, endpoint: 'logs', times: 20 });
    const { result, errors, progress } = await collecting(api, async () => {
      const running = countCurrent();
      await waitFor('a request in flight', () => org.stats.inFlight > 0);
      await vscode.commands.executeCommand('oktaMau.cancelCount', { orgId });
      return running;
    });
    assert.equal(result, undefined);
    assert.deepEqual(errors, []);
    assert.ok(progress.some((p) => p.phase === 'started'));
    assert.equal(await readText(savedFile()), before);
    assert.equal(label(api.treeItem(await monthNode(api, orgId, month))).length > 0, true);
  });
});
