// One story on every surface: last month's final count and this month so far in the status bar,
// the running month called "so far" and compared with the same span of the month before, a click
// line that says what clicking does, and cancelling that says what became of the saved result.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { generateMonth, groundTruth, monthBounds, startFakeOrg, type LogEvent } from '../../fake-org';
import type { OktaMauApi } from '../../../src/extension/api';
import { addOrg, countMonth, currentMonth, extensionApi, previousMonth, resetExtension, waitFor } from './helpers';

type FakeOrg = Awaited<ReturnType<typeof startFakeOrg>>;

const long = (month: string) => new Intl.DateTimeFormat('en', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
const short = (month: string) => new Intl.DateTimeFormat('en', { month: 'short', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
const n = (value: number) => value.toLocaleString('en-US');
const dayFormat = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const day = (t: number) => dayFormat.format(new Date(t));
/** `Dec 2` for the end of a range (midnight is the day before), as the extension names days. */
const endDay = (iso: string) => {
  const t = Date.parse(iso);
  return day(t % 86_400_000 === 0 ? t - 1 : t);
};
/** The tooltip's Markdown as it reads: this suite's strings hold no org data, so dropping escapes is enough. */
const plain = (md: string | undefined) => (md ?? '').replace(/\\(.)/g, '$1');

describe('the status bar tells the story of last month and this month so far', () => {
  let api: OktaMauApi;
  let org: FakeOrg;
  let orgId: string;
  let host: string;
  const now = Date.now();
  const month = currentMonth();
  const previous = previousMonth();
  const earlier = previousMonth(new Date(`${previous}-15T00:00:00Z`));
  const lastMonthEvents = generateMonth({ month: previous, seed: 31, users: 150, sessions: 1200 }).events;
  // This month's sign-ins squeezed into [month start, a minute ago), so users are active whatever the day.
  const { since } = monthBounds(month);
  const cutoff = now - 60_000;
  const scale = (cutoff - since) / (monthBounds(month).until - since);
  const squeezed: LogEvent[] = generateMonth({ month, seed: 32, users: 80, sessions: 600 }).events.map((e) => {
    const at = Date.parse(e.published);
    return at >= since ? { ...e, published: new Date(since + Math.floor((at - since) * scale)).toISOString() } : e;
  });
  const served = [...lastMonthEvents, ...squeezed].filter((e) => Date.parse(e.published) < cutoff);
  const truthBefore = groundTruth(served, monthBounds(previous));
  const infos: string[] = [];
  let infoSub: vscode.Disposable | undefined;

  before(async () => {
    api = await extensionApi();
    await resetExtension(api);
    org = await startFakeOrg({ events: served, latencyMs: 10 });
    host = new URL(org.url).host;
    orgId = (await addOrg(org.url, { mode: 'SSWS', token: org.token }))!;
    assert.ok(orgId);
    infoSub = api.onDidShowInfo((m) => infos.push(m));
  });

  /** Starts a count whose first System Log request Okta holds for 30 s, so it is running when cancelled. */
  function startHeld(month: string): Thenable<unknown> {
    org.injectFault({ kind: 'hang', ms: 30_000, endpoint: 'logs', times: 1 });
    return countMonth(month, orgId);
  }

  after(async () => {
    infoSub?.dispose();
    await resetExtension(api);
    await org?.close();
  });

  it('offers to count this month, not to count it "again", before anything was counted', async () => {
    assert.equal(await api.statusBarText(), '$(person) Count MAU');
    const tooltip = plain(await api.statusBarTooltip());
    assert.ok(tooltip.includes(`${long(month)} not counted yet.`), tooltip);
    assert.ok(tooltip.endsWith(`Click to count ${long(month)}.`), tooltip);
    assert.ok(!/again/.test(tooltip), tooltip);
  });

  it('shows last month\'s final count once counted, and still offers to count this month', async () => {
    const report = await countMonth(previous, orgId);
    assert.equal(report?.mau, truthBefore.mau);
    assert.equal(await api.statusBarText(), `$(person) ${short(previous)} ${n(truthBefore.mau)} MAU`);
    const tooltip = plain(await api.statusBarTooltip());
    assert.ok(tooltip.includes(`${long(previous)}: **${n(truthBefore.mau)} MAU** · complete`), tooltip);
    assert.ok(tooltip.includes(`${long(month)} not counted yet.`), tooltip);
    assert.ok(tooltip.endsWith(`Click to count ${long(month)}.`), tooltip);
    assert.ok(infos.includes(`${host}: ${n(truthBefore.mau)} MAU in ${long(previous)}.`), infos.join(' | '));
  });

  it('shows both months after counting this one, this one "so far", compared with the same span of last month', async () => {
    const report = await vscode.commands.executeCommand<{ mau: number; fetchedUntil: string } | undefined>('oktaMau.countMaus', { orgId });
    assert.ok(report);
    const truth = groundTruth(served, { since, until: Date.parse(report.fetchedUntil) });
    assert.equal(report.mau, truth.mau);
    assert.equal(await api.statusBarText(), `$(person) ${short(previous)} ${n(truthBefore.mau)} · ${short(month)} ${n(truth.mau)} so far`);

    // The month before, read over the same span: from its start for as long as this month has run.
    const spanEnd = Math.min(monthBounds(previous).since + (Date.parse(report.fetchedUntil) - since), monthBounds(previous).until);
    const span = groundTruth(served, { since: monthBounds(previous).since, until: spanEnd });
    assert.ok(span.mau > 0, 'no users in the same span of the month before: the fixture proves nothing');
    const pct = ((truth.mau - span.mau) / span.mau) * 100;
    const change = `${pct > 0 ? '+' : pct < 0 ? '−' : '±'}${Math.abs(pct).toFixed(1)}%`;
    const from = day(monthBounds(previous).since);
    const to = endDay(new Date(spanEnd).toISOString());
    const days = from === to ? from : `${from} – ${to}`;

    const tooltip = plain(await api.statusBarTooltip());
    assert.ok(tooltip.includes(`${long(month)}: **${n(truth.mau)} MAU** so far · to ${endDay(report.fetchedUntil)} (UTC)`), tooltip);
    assert.ok(tooltip.includes(`${long(previous)}: **${n(truthBefore.mau)} MAU** · complete`), tooltip);
    const sameSpan = `${change} vs the same span of ${long(previous).split(' ')[0]} (${days}: ${n(span.mau)} MAU)`;
    assert.ok(tooltip.includes(sameSpan), `expected "${sameSpan}" in:\n${tooltip}`);
    // Never the two days against the whole month.
    assert.ok(!tooltip.includes(`vs ${long(previous)} (`), tooltip);
    assert.ok(!/complete/.test(tooltip.split('\n\n').find((l) => l.startsWith(long(month))) ?? ''), 'the running month is called complete');
    // Clicking runs Count MAUs, which now refreshes the saved count.
    assert.ok(tooltip.endsWith(`Click to refresh ${long(month)} (only new events are fetched).`), tooltip);
    assert.ok(infos.includes(`${host}: ${n(truth.mau)} MAU in ${long(month)} so far (to ${endDay(report.fetchedUntil)}, UTC).`), infos.join(' | '));
  });

  it('says there is nothing to cancel when no count runs', async () => {
    infos.length = 0;
    assert.equal(await vscode.commands.executeCommand('oktaMau.cancelCount', { orgId }), false);
    assert.deepEqual(infos, [`Nothing to cancel: no count of ${host} is running.`]);
  });

  it('says a cancelled count kept the earlier result, once', async () => {
    infos.length = 0;
    const running = startHeld(previous);
    await waitFor('the count to reach the held request', () => org.pendingFaults() === 0 && org.stats.inFlight > 0);
    assert.equal(await vscode.commands.executeCommand('oktaMau.cancelCount', { orgId }), true);
    assert.equal(await running, undefined);
    const message = `Count of ${long(previous)} cancelled; the earlier result is kept.`;
    await waitFor('the cancellation message', () => infos.includes(message), 15_000);
    // A second Cancel Count after the run stopped has nothing left to cancel.
    assert.equal(await vscode.commands.executeCommand('oktaMau.cancelCount', { orgId }), false);
    assert.deepEqual(infos, [message, `Nothing to cancel: no count of ${host} is running.`]);
    // The saved counts still show.
    assert.match((await api.statusBarText()) ?? '', new RegExp(`^\\$\\(person\\) ${short(previous)} ${n(truthBefore.mau)} · ${short(month)} [\\d,]+ so far$`));
  });

  it('says nothing was saved when a month never counted before is cancelled', async () => {
    infos.length = 0;
    const held = org.stats.inFlight; // the request held for the last test may still be open on the server
    const running = startHeld(earlier);
    await waitFor('the count to reach the held request', () => org.pendingFaults() === 0 && org.stats.inFlight > held);
    assert.equal(await vscode.commands.executeCommand('oktaMau.cancelCount', { orgId }), true);
    assert.equal(await running, undefined);
    await waitFor('the cancellation message', () => infos.length > 0, 15_000);
    assert.deepEqual(infos, [`Count of ${long(earlier)} cancelled; nothing was saved.`]);
  });
});
