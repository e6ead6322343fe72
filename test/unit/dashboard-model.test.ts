/**
 * The dashboard's data in plain Node: `dashboard/model.ts` imports only the core and types, so what the
 * webview draws is checked here without VS Code (the panel itself is checked in test/vscode/suite).
 */
import { strict as assert } from 'node:assert';
import type { UserActivity } from '../../src/core/types';
import { projectMonth } from '../../src/core/projection';
import { formatInactive } from '../../src/core/formatUsers';
import { utilisationPercent } from '../../src/core/reportFacts';
import { BILLABLE_STATUSES, dormantFor, inactiveInMonth, type OrgUser } from '../../src/core/users';
import { buildAllOrgsView, buildDashboardModel, EXTREMES, monthDetail, type LicencesInput } from '../../src/extension/dashboard/model';
import { fromWebview, type LiveCount } from '../../src/extension/dashboard/protocol';
import type { StoredReport } from '../../src/extension/resultStore';

function user(id: string, sessions = 1, activeDays = 1): UserActivity {
  return { id, login: `${id}@example.com`, displayName: id.toUpperCase(), sessions, activeDays, firstSeen: '2026-10-01T00:00:00.000Z', lastSeen: '2026-10-02T00:00:00.000Z', lastClient: { ipAddress: '192.0.2.1' } };
}

function report(month: string, users: UserActivity[], o: Partial<StoredReport> = {}): StoredReport {
  const [y, m] = month.split('-').map(Number);
  const since = new Date(Date.UTC(y, m - 1, 1));
  const until = new Date(Date.UTC(y, m, 1));
  const days = Math.round((until.getTime() - since.getTime()) / 86_400_000);
  return {
    month, since: since.toISOString(), until: until.toISOString(), source: 'logs', eventTypes: ['user.session.start'],
    mau: users.length, complete: true, events: users.length * 2, pages: 1, requests: 1,
    dailyActiveUsers: Array.from({ length: days }, (_, i) => i + 1), users,
    countedAt: `${month}-28T12:00:00.000Z`, durationMs: 10, ...o,
  };
}

const live: LiveCount = { month: '2026-11', users: 7, covered: 0.5, events: 40, pages: 2, rateLimitWaitMs: 0, incremental: false };

describe('buildDashboardModel', () => {
  const sep = report('2026-09', [user('a'), user('b')]);
  const oct = report('2026-10', [user('b', 3), user('c')], { complete: false, partialReason: 'beyond retention', incremental: true });

  it('lists the saved months oldest first, whatever order they come in', () => {
    const model = buildDashboardModel({ orgId: 'o1', org: 'acme.okta.com', reports: [oct, sep] });
    assert.equal(model.orgId, 'o1');
    assert.equal(model.org, 'acme.okta.com');
    assert.deepEqual(model.months, [
      { month: '2026-09', mau: 2, complete: true, countedAt: '2026-09-28T12:00:00.000Z', partialReason: undefined, incremental: false },
      { month: '2026-10', mau: 2, complete: false, countedAt: '2026-10-28T12:00:00.000Z', partialReason: 'beyond retention', incremental: true },
    ]);
  });

  it('details the newest saved month unless another saved month is asked for', () => {
    assert.equal(buildDashboardModel({ orgId: 'o1', org: 'x', reports: [sep, oct] }).selected?.month, '2026-10');
    assert.equal(buildDashboardModel({ orgId: 'o1', org: 'x', reports: [sep, oct], month: '2026-09' }).selected?.month, '2026-09');
    assert.equal(buildDashboardModel({ orgId: 'o1', org: 'x', reports: [sep, oct], month: '2025-01' }).selected?.month, '2026-10');
  });

  it('has no detail and no months for an org with no saved count', () => {
    const model = buildDashboardModel({ orgId: 'o1', org: 'x', reports: [] });
    assert.deepEqual(model.months, []);
    assert.equal(model.selected, undefined);
  });

  it('adds a month being counted that has no saved result as a live bar, without selecting it', () => {
    const model = buildDashboardModel({ orgId: 'o1', org: 'x', reports: [oct, sep], live });
    assert.deepEqual(model.months.map((m) => [m.month, m.mau, m.live === true]), [['2026-09', 2, false], ['2026-10', 2, false], ['2026-11', 7, true]]);
    assert.equal(model.selected?.month, '2026-10');
    assert.deepEqual(model.live, live);
  });

  it('keeps the saved bar of a month being recounted, and passes the live count on', () => {
    const model = buildDashboardModel({ orgId: 'o1', org: 'x', reports: [sep, oct], live: { ...live, month: '2026-10' } });
    assert.deepEqual(model.months.map((m) => [m.month, m.mau, m.live === true]), [['2026-09', 2, false], ['2026-10', 2, false]]);
    assert.equal(model.live?.month, '2026-10');
  });
});

describe('monthDetail', () => {
  it('compares with the previous month when it was counted: new, returning and lapsed users', () => {
    const detail = monthDetail(report('2026-10', [user('b'), user('c'), user('d')]), report('2026-09', [user('a'), user('b')]));
    assert.deepEqual(detail.comparison, { counted: true, previousMonth: '2026-09', newUsers: 2, returning: 1, lapsed: 1 });
  });

  it('names the previous month, across a year, when it was not counted', () => {
    assert.deepEqual(monthDetail(report('2026-01', [user('a')]), undefined).comparison, { counted: false, previousMonth: '2025-12' });
  });

  it('shows the most and least active users as rows without their clients, at most ten of each', () => {
    const users = Array.from({ length: 25 }, (_, i) => user(`u${String(i).padStart(2, '0')}`, i + 1, 1));
    const detail = monthDetail(report('2026-10', users), undefined);
    assert.equal(EXTREMES, 10);
    assert.equal(detail.most.length, 10);
    assert.equal(detail.least.length, 10);
    assert.deepEqual(detail.most[0], { id: 'u24', login: 'u24@example.com', displayName: 'U24', sessions: 25, activeDays: 1, lastSeen: '2026-10-02T00:00:00.000Z' });
    assert.deepEqual(detail.least.map((r) => r.id).slice(0, 3), ['u00', 'u01', 'u02']);
  });

  it('has one point per UTC day of a finished month', () => {
    const detail = monthDetail(report('2026-02', [user('a')]), undefined);
    assert.equal(detail.daily.length, 28);
    assert.deepEqual(detail.daily[0], { date: '2026-02-01', users: 1 });
    assert.deepEqual(detail.daily[27], { date: '2026-02-28', users: 28 });
    assert.equal(detail.fetchedUntil, undefined);
  });

  it('stops the days at fetchedUntil in a month counted so far, and reports how far it got', () => {
    const r = report('2026-10', [user('a')], { fetchedUntil: '2026-10-05T13:00:00.000Z' });
    const detail = monthDetail(r, undefined);
    assert.deepEqual(detail.daily.map((p) => p.date), ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05']);
    assert.equal(detail.fetchedUntil, '2026-10-05T13:00:00.000Z');
    assert.equal(monthDetail({ ...r, fetchedUntil: r.until }, undefined).fetchedUntil, undefined);
  });

  it('carries the count\'s own facts: completeness, events, requests, time and whether it was incremental', () => {
    const detail = monthDetail(report('2026-10', [user('a')], { complete: false, partialReason: 'beyond retention', events: 12, requests: 4 }), undefined);
    assert.deepEqual(
      [detail.month, detail.mau, detail.complete, detail.partialReason, detail.events, detail.requests, detail.countedAt, detail.incremental],
      ['2026-10', 1, false, 'beyond retention', 12, 4, '2026-10-28T12:00:00.000Z', false],
    );
  });
});

describe('a month counted to date on the dashboard', () => {
  const seen = (id: string, firstSeen: string): UserActivity => ({ ...user(id), firstSeen, lastSeen: firstSeen });
  // November: four users, two of them by Nov 2 14:00. December counted on Dec 2 at 14:00: two users so far.
  const nov = report('2026-11', [seen('a', '2026-11-01T08:00:00.000Z'), seen('b', '2026-11-02T09:00:00.000Z'), seen('c', '2026-11-10T09:00:00.000Z'), seen('d', '2026-11-20T09:00:00.000Z')], {
    fetchedUntil: '2026-12-01T00:00:00.000Z',
  });
  const dec = report('2026-12', [seen('a', '2026-12-01T09:00:00.000Z'), seen('x', '2026-12-02T10:00:00.000Z')], { fetchedUntil: '2026-12-02T14:00:00.000Z' });

  it('is flagged to date, with where its events end, and never as complete', () => {
    const model = buildDashboardModel({ orgId: 'o1', org: 'x', reports: [nov, dec] });
    assert.deepEqual(model.selected?.state, { kind: 'toDate', upTo: '2026-12-02T14:00:00.000Z' });
    assert.deepEqual(monthDetail(nov, undefined).state, { kind: 'complete' });
    // The bars: December's says it is users so far; November's is a whole month.
    assert.deepEqual(model.months.map((m) => [m.month, m.mau, m.toDate]), [['2026-11', 4, undefined], ['2026-12', 2, '2026-12-02T14:00:00.000Z']]);
  });

  it('compares new, returning and lapsed users with the same span of the month before, not the whole of it', () => {
    const c = buildDashboardModel({ orgId: 'o1', org: 'x', reports: [nov, dec] }).selected?.comparison;
    // Against the whole of November: 1 returning, 3 lapsed. Against Nov 1 – Nov 2 14:00: a and b only.
    assert.deepEqual(c, { counted: true, previousMonth: '2026-11', newUsers: 1, returning: 1, lapsed: 1, sameSpan: { upTo: '2026-11-02T14:00:00.000Z', mau: 2 } });
  });

  it('offers no figures when the month before was counted only short of the span', () => {
    const novEarly = { ...nov, fetchedUntil: '2026-11-02T00:00:00.000Z' };
    assert.deepEqual(monthDetail(dec, novEarly).comparison, { counted: false, previousMonth: '2026-11', countedUpTo: '2026-11-02T00:00:00.000Z' });
  });

  it('keeps a partial month partial, not to date', () => {
    const partial = report('2026-12', [user('a')], { complete: false, partialReason: 'beyond retention', fetchedUntil: '2026-12-02T14:00:00.000Z' });
    assert.equal(monthDetail(partial, undefined).state.kind, 'partial');
    assert.equal(buildDashboardModel({ orgId: 'o1', org: 'x', reports: [partial] }).months[0]?.toDate, undefined);
  });
});

/** A month whose users first signed in on the given days (1 = the 1st). */
function spread(month: string, firstDays: number[], o: Partial<StoredReport> = {}): StoredReport {
  const users = firstDays.map((d, i) => ({ ...user(`${month}-${i}`), firstSeen: `${month}-${String(d).padStart(2, '0')}T08:00:00.000Z` }));
  return report(month, users, o);
}

describe('the dashboard\'s projection of a month counted to date', () => {
  const history = ['2026-06', '2026-07', '2026-08', '2026-09', '2026-10'].map((m) => spread(m, [1, 2, 4, 8, 12, 16, 20, 24, 27]));
  const november = spread('2026-11', [1, 2, 4, 8], { fetchedUntil: '2026-11-10T12:00:00.000Z' });

  it('shows the core\'s projection, its dashed curve ending on it, and the day-by-day users so far', () => {
    const model = buildDashboardModel({ orgId: 'o1', org: 'x', reports: [...history, november] });
    const p = model.selected?.projection;
    const core = projectMonth(november, history);
    assert.equal(p?.kind, 'projected');
    assert.equal(core.kind, 'projected');
    if (p?.kind !== 'projected' || core.kind !== 'projected') return;
    assert.deepEqual([p.estimate, p.low, p.high], [core.estimate, core.low, core.high], 'the same figures as the status bar and the tree');
    assert.equal(p.until, '2026-12-01T00:00:00.000Z');
    assert.equal(p.curve.at(-1)?.estimate, p.estimate);
    assert.deepEqual(model.selected?.cumulative.map((d) => d.users), [1, 2, 2, 3, 3, 3, 3, 4, 4, 4]);
    assert.ok('months' in p.backtest, 'tested on the org\'s own months');
    if ('months' in p.backtest) {
      assert.equal(p.backtest.months, 3, 'August to October each had two complete months before them');
      assert.equal(p.backtest.day, 7, 'the latest tested day before the 10th');
    }
  });

  it('says why there is no projection with too little history, and none for a finished month', () => {
    const short = buildDashboardModel({ orgId: 'o1', org: 'x', reports: [history[4], november] }).selected?.projection;
    assert.equal(short?.kind, 'unavailable');
    if (short?.kind === 'unavailable') assert.match(short.reason, /needs 2 earlier months/);
    assert.equal(buildDashboardModel({ orgId: 'o1', org: 'x', reports: history }).selected?.projection, undefined);
  });

  it('says when the projection cannot yet be tested on the org\'s own months', () => {
    const p = buildDashboardModel({ orgId: 'o1', org: 'x', reports: [history[3], history[4], november] }).selected?.projection;
    assert.equal(p?.kind, 'projected');
    if (p?.kind === 'projected') assert.ok('reason' in p.backtest && /needs 3 months/.test(p.backtest.reason));
  });
});

describe('buildAllOrgsView: every org\'s count of one month', () => {
  const oct = (mau: number, o: Partial<StoredReport> = {}) => report('2026-10', Array.from({ length: mau }, (_, i) => user(`u${i}`)), o);
  it('lists each org, adds the counted ones, and says what the total leaves out', () => {
    const view = buildAllOrgsView({
      month: '2026-10',
      orgs: [
        { id: 'a', label: 'acme.okta.com', orgUrl: 'https://acme.okta.com', months: ['2026-09', '2026-10'], report: oct(5) },
        { id: 'b', label: 'acme.oktapreview.com', orgUrl: 'https://acme.oktapreview.com', months: ['2026-11'] },
        { id: 'c', label: 'eu.okta.com', orgUrl: 'https://eu.okta.com', months: ['2026-10'], report: oct(3, { complete: false, partialReason: 'beyond retention' }) },
      ],
    });
    assert.equal(view.total, 8);
    assert.equal(view.counted, 2);
    assert.equal(view.mayBeLow, true);
    assert.deepEqual(view.months, ['2026-11', '2026-10', '2026-09']);
    assert.deepEqual(view.orgs.map((o) => [o.org, o.mau, o.state?.kind]), [['acme.okta.com', 5, 'complete'], ['acme.oktapreview.com', undefined, undefined], ['eu.okta.com', 3, 'partial']]);
  });

  it('offers the month asked for even when no org has it', () => {
    const view = buildAllOrgsView({ month: '2026-12', orgs: [{ id: 'a', label: 'a', orgUrl: 'https://a.okta.com', months: ['2026-10'] }] });
    assert.deepEqual(view.months, ['2026-12', '2026-10']);
    assert.equal(view.total, 0);
    assert.equal(view.counted, 0);
  });
});

describe('the Licences card: licensed versus active users of the month', () => {
  const listedAt = '2026-11-02T09:00:00.000Z';
  const member = (id: string, status = 'ACTIVE', lastLogin: string | null = null): OrgUser => ({ id, login: `${id}@example.com`, displayName: id, status, lastLogin });
  // Six licensed users (one of each billable state besides ACTIVE), two who hold no licence. By Okta's
  // lastLogin, a signed in 10 days before the listing, c 20 and e 60; b, d and f never did, and s (no licence) long ago.
  const listed = [
    member('a', 'ACTIVE', '2026-10-23T09:00:00.000Z'),
    member('b'),
    member('c', 'LOCKED_OUT', '2026-10-13T09:00:00.000Z'),
    member('d', 'PASSWORD_EXPIRED'),
    member('e', 'RECOVERY', '2026-09-03T09:00:00.000Z'),
    member('f'),
    member('s', 'SUSPENDED', '2025-01-01T00:00:00.000Z'),
    member('t', 'STAGED'),
  ];
  // a, c and s signed in, and x, who is no longer listed (deactivated since): counted in the MAU, not in the licences.
  const oct = report('2026-10', [user('a'), user('c'), user('s'), user('x')]);
  const orgUrl = 'https://acme.okta.com';
  /** What the host hands the model: the Users view's "Dormant for N days (M)", the core's `dormantFor` over the listing. */
  const dormantOf = (days: number) => ({ days, users: dormantFor(listed, orgUrl, days, new Date(listedAt), BILLABLE_STATUSES).users.length });
  const listedFor = (days: number): LicencesInput => ({ listed: { listedAt, inMonth: (r) => inactiveInMonth(listed, { ...r, orgUrl }, BILLABLE_STATUSES, new Date(listedAt)), dormant: dormantOf(days) } });
  const input = listedFor(90);

  it('counts licensed users, those of them active in the month and the share used, as the core and the CLI do', () => {
    const l = buildDashboardModel({ orgId: 'o1', org: 'x', reports: [oct], licences: input }).selected?.licences;
    assert.deepEqual(l, { figures: { licensed: 6, active: 2, inactive: 4, percent: 33.3, dormant: { days: 90, users: 3 }, statuses: [...BILLABLE_STATUSES], listedAt } });
    // The CLI's table for the same listing and month says the same.
    const table = formatInactive(inactiveInMonth(listed, { ...oct, orgUrl }, BILLABLE_STATUSES, new Date(listedAt)), 'table');
    assert.match(table, /: 4\n/);
    assert.match(table, /Licensed: {5}6 /);
    assert.match(table, /Active: {7}2 \(33\.3% of licensed\)/);
  });

  it('rounds the share used down to a tenth of a percent, so 100% means every licensed user was active', () => {
    assert.equal(utilisationPercent({ active: 987, licensed: 1231 }), 80.1);
    assert.equal(utilisationPercent({ active: 1233, licensed: 1234 }), 99.9);
    assert.equal(utilisationPercent({ active: 3, licensed: 3 }), 100);
    assert.equal(utilisationPercent({ active: 0, licensed: 0 }), 0);
    assert.equal(utilisationPercent({ active: 29, licensed: 100 }), 29);
  });

  it('works out the month selected, and leaves the card out where the host has no listings', () => {
    const sep = report('2026-09', [user('a'), user('b'), user('c'), user('d'), user('e'), user('f')]);
    const model = buildDashboardModel({ orgId: 'o1', org: 'x', reports: [sep, oct], month: '2026-09', licences: input });
    assert.equal(model.selected?.licences?.figures?.inactive, 0);
    assert.equal(model.selected?.licences?.figures?.percent, 100);
    assert.equal(buildDashboardModel({ orgId: 'o1', org: 'x', reports: [oct] }).selected?.licences, undefined);
  });

  it("gives the Users view's dormant users for the days of the setting, the same in every month", () => {
    // Counted back from the listing: 90 days hold the three who never signed in; 30 add e; 15 add c too.
    assert.deepEqual([90, 30, 15, 1].map((d) => dormantOf(d).users), [3, 4, 5, 6]);
    // Only a signed in during September: the month changes who is not active, never who is dormant.
    const sep = report('2026-09', [user('a')]);
    for (const days of [90, 30, 15, 1]) {
      for (const month of ['2026-09', '2026-10']) {
        const figures = buildDashboardModel({ orgId: 'o1', org: 'x', reports: [sep, oct], month, licences: listedFor(days) }).selected?.licences?.figures;
        assert.equal(figures?.inactive, month === '2026-09' ? 5 : 4);
        assert.deepEqual(figures?.dormant, dormantOf(days), `${days} days in ${month}`);
      }
    }
  });

  it('says the users are not listed yet, or that a listing runs, before there are figures', () => {
    assert.deepEqual(buildDashboardModel({ orgId: 'o1', org: 'x', reports: [oct], licences: {} }).selected?.licences, {});
    assert.deepEqual(buildDashboardModel({ orgId: 'o1', org: 'x', reports: [oct], licences: { listing: 'page 3 · 600 users' } }).selected?.licences, { listing: 'page 3 · 600 users' });
  });

  it('passes the refusal on only while there is no listing to show', () => {
    const refusal = 'The service app may not read the Users API at acme.okta.com (HTTP 403): grant it the okta.users.read scope and a Read-Only Administrator role';
    assert.deepEqual(buildDashboardModel({ orgId: 'o1', org: 'x', reports: [oct], licences: { refusal } }).selected?.licences, { refusal });
    const withListing = buildDashboardModel({ orgId: 'o1', org: 'x', reports: [oct], licences: { ...input, refusal } }).selected?.licences;
    assert.equal(withListing?.refusal, undefined);
    assert.equal(withListing?.figures?.licensed, 6);
  });

  it('adds each listed org\'s licences to the All orgs view, and none for an org not listed', () => {
    const view = buildAllOrgsView({
      month: '2026-10',
      orgs: [
        { id: 'a', label: 'a', orgUrl: 'https://a.okta.com', months: ['2026-10'], report: oct, licences: inactiveInMonth(listed, { ...oct, orgUrl }) },
        { id: 'b', label: 'b', orgUrl: 'https://b.okta.com', months: ['2026-10'], report: oct },
      ],
    });
    assert.deepEqual(view.orgs.map((o) => o.licences), [{ licensed: 6, active: 2, percent: 33.3 }, undefined]);
  });
});

describe('messages from the dashboard webview', () => {
  it('accepts the messages the page sends, with only their own fields', () => {
    assert.deepEqual(fromWebview({ type: 'listUsers', orgId: 'someone-else' }), { type: 'listUsers' });
    assert.deepEqual(fromWebview({ type: 'recount', month: '2026-10', extra: 1 }), { type: 'recount', month: '2026-10' });
    assert.deepEqual(fromWebview({ type: 'selectOrg', orgId: 'all' }), { type: 'selectOrg', orgId: 'all' });
    assert.deepEqual(fromWebview({ type: 'ready' }), { type: 'ready', month: undefined, orgId: undefined });
  });

  it('drops anything else: unknown types, wrong shapes, months that are not months', () => {
    for (const m of [undefined, null, 'listUsers', 42, {}, { type: 'runCommand', id: 'workbench.action.terminal.new' }, { type: 'recount', month: '2026-13' }, { type: 'selectMonth', month: { toString: () => '2026-10' } }, { type: 'selectOrg' }, { type: 'ready', month: 7 }]) {
      assert.equal(fromWebview(m), undefined, JSON.stringify(m));
    }
  });
});
