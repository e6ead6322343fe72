import assert from 'node:assert/strict';
import { formatHistory, formatOrgsMonth, historyRows, orgsMonth } from '../../src/cli/history';
import { definitionSuffix } from '../../src/core/definition';
import {
  DEFAULT_PRESET_ID,
  DEFINITION_PRESETS,
  definitionName,
  definitionPreset,
  describeDefinition,
  isPresetId,
  presetDefinition,
  PRESET_IDS,
} from '../../src/core/definitions';
import { InvalidInputError } from '../../src/core/errors';
import { reportToCsv, reportToJson, reportToTable } from '../../src/core/format';
import { formatInactive } from '../../src/core/formatUsers';
import * as core from '../../src/core/index';
import { createSource, MALFORMED } from '../../src/core/sources';
import type { MauReport } from '../../src/core/types';
import type { InactiveReport } from '../../src/core/users';
import { logEvent } from './sign-ins';

/** The blog's list, "SSO MAU Events" then "API Access Management Events", as it prints them. */
const BLOG_EVENT_TYPES = [
  'app.oauth2.as.authorize.implicit.id_token',
  'app.oauth2.as.token.grant.id_token',
  'app.oauth2.as.token.grant.refresh_token',
  'app.oauth2.authorize.implicit.id_token',
  'app.oauth2.authorize.implicit.access_token',
  'app.oauth2.token.grant.access_token',
  'app.oauth2.token.grant.id_token',
  'app.oauth2.token.grant.refresh_token',
  'app.oauth2.as.authorize.implicit.access_token',
  'app.oauth2.as.token.grant.access_token',
];
const CUSTOMER_IDENTITY_NAME = "Customer Identity (Okta's MAU billing)";
// eslint-disable-next-line no-control-regex -- the tests look for control characters
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function report(extra: Partial<MauReport> = {}): MauReport {
  return {
    orgUrl: 'https://acme.okta.com',
    month: '2026-10',
    since: '2026-10-01T00:00:00.000Z',
    until: '2026-11-01T00:00:00.000Z',
    source: 'logs',
    eventTypes: ['user.session.start'],
    mau: 1,
    complete: true,
    events: 2,
    pages: 1,
    requests: 1,
    dailyActiveUsers: Array.from({ length: 31 }, () => 0),
    users: [{ id: '00u1', login: 'ada@example.com', displayName: 'Ada', sessions: 2, activeDays: 1, firstSeen: '2026-10-02T08:00:00.000Z', lastSeen: '2026-10-02T09:00:00.000Z' }],
    countedAt: '2026-11-02T00:00:00.000Z',
    durationMs: 10,
    ...extra,
  };
}

describe('definitions of "active"', () => {
  describe('presets', () => {
    it('has sign-ins (the default) and customer-identity, with stable ids and names', () => {
      assert.deepEqual(PRESET_IDS, ['sign-ins', 'customer-identity']);
      assert.equal(DEFAULT_PRESET_ID, 'sign-ins');
      assert.equal(definitionPreset('sign-ins').name, 'Sign-ins (user.session.start)');
      assert.deepEqual(definitionPreset('sign-ins').eventTypes, ['user.session.start']);
      assert.equal(definitionPreset('customer-identity').name, CUSTOMER_IDENTITY_NAME);
      assert.ok(isPresetId('customer-identity') && !isPresetId('custom') && !isPresetId('Sign-ins'));
    });

    it('counts for Customer Identity a session plus exactly the token grants the blog lists, and records its statuses', () => {
      const ci = definitionPreset('customer-identity');
      assert.deepEqual(ci.eventTypes, ['user.session.start', ...BLOG_EVENT_TYPES]);
      assert.equal(new Set(ci.eventTypes).size, 11);
      assert.deepEqual(ci.countedStatuses, ['ACTIVE', 'RECOVERY', 'LOCKED_OUT', 'PASSWORD_EXPIRED', 'SUSPENDED']);
      assert.equal(ci.reference, 'https://iamse.blog/2023/02/20/counting-amaus-from-system-logs/');
      // The client-credentials flow's token has no user; a revocation or a refused request is no grant.
      for (const t of ['app.oauth2.as.token.revoke', 'app.oauth2.as.token.grant', 'app.oauth2.token.grant', 'user.authentication.sso']) assert.ok(!ci.eventTypes.includes(t), t);
    });

    it('builds the Definition a count of a preset runs with, and refuses what cannot be', () => {
      assert.deepEqual(presetDefinition('sign-ins'), { source: 'logs', eventTypes: ['user.session.start'] });
      assert.deepEqual(presetDefinition('sign-ins', 'events'), { source: 'events' });
      assert.deepEqual(presetDefinition('customer-identity'), { source: 'logs', eventTypes: definitionPreset('customer-identity').eventTypes });
      assert.throws(() => presetDefinition('customer-identity', 'events'), (e: unknown) => e instanceof InvalidInputError && /counts System Log event types: it cannot be counted from the Events API$/.test(e.message));
      assert.throws(() => definitionPreset('custom'), /^InvalidInputError: The definition must be "sign-ins" or "customer-identity" \(a custom definition is its list of event types\) \(got "custom"\)$/);
      assert.throws(() => definitionPreset('billing'), /must be "sign-ins" or "customer-identity" \(got "billing"\)$/);
      // The presets handed out cannot be changed by a host that edits what it was given.
      const def = presetDefinition('customer-identity');
      (def.eventTypes as string[]).push('x.y');
      assert.equal(definitionPreset('customer-identity').eventTypes.length, 11);
    });

    it('is exported from the core for every host', () => {
      assert.equal(core.describeDefinition, describeDefinition);
      assert.equal(core.definitionName, definitionName);
      assert.equal(core.presetDefinition, presetDefinition);
      assert.equal(core.DEFINITION_PRESETS, DEFINITION_PRESETS);
      assert.equal(core.definitionSuffix, definitionSuffix);
    });
  });

  describe('naming the definition a count used', () => {
    it('names a preset by its set of event types, whatever their order or repeats', () => {
      assert.deepEqual(describeDefinition({ source: 'logs' }), { id: 'sign-ins', name: 'Sign-ins (user.session.start)', eventTypes: ['user.session.start'] });
      assert.equal(describeDefinition({ source: 'logs', eventTypes: ['user.session.start'] }).id, 'sign-ins');
      const shuffled = [...BLOG_EVENT_TYPES].reverse().concat('user.session.start', BLOG_EVENT_TYPES[0]!);
      assert.deepEqual(describeDefinition({ source: 'logs', eventTypes: shuffled }), {
        id: 'customer-identity',
        name: CUSTOMER_IDENTITY_NAME,
        eventTypes: ['user.session.start', ...BLOG_EVENT_TYPES],
      });
      assert.equal(definitionName(report({ eventTypes: shuffled })), CUSTOMER_IDENTITY_NAME);
      assert.equal(describeDefinition({}).id, 'sign-ins', 'a Definition without source or types is the default');
    });

    it('names the legacy Events API source as its sign-ins', () => {
      assert.deepEqual(describeDefinition({ source: 'events', eventTypes: ['user.session.start'] }), { id: 'sign-ins', name: 'Sign-ins (Events API)', eventTypes: ['user.session.start'] });
    });

    it('names any other list as custom, with the count of types and at most three of them', () => {
      assert.deepEqual(describeDefinition({ source: 'logs', eventTypes: ['user.session.start', 'user.authentication.sso'] }), {
        id: 'custom',
        name: 'Custom: 2 event types (user.session.start, user.authentication.sso)',
        eventTypes: ['user.session.start', 'user.authentication.sso'],
      });
      assert.equal(definitionName({ source: 'logs', eventTypes: ['user.authentication.sso'] }), 'Custom: 1 event type (user.authentication.sso)');
      // One type fewer than Customer Identity is not Customer Identity.
      const fewer = ['user.session.start', ...BLOG_EVENT_TYPES.slice(1)];
      assert.equal(definitionName({ source: 'logs', eventTypes: fewer }), 'Custom: 10 event types (user.session.start, app.oauth2.as.token.grant.id_token, app.oauth2.as.token.grant.refresh_token, …)');
      assert.equal(describeDefinition({ source: 'logs', eventTypes: fewer }).eventTypes.length, 10, 'the summary keeps every type');
    });

    it('shows an event type from a tampered file as text that cannot act on a terminal or a label', () => {
      const hostile = ['\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\', '[x](command:oktaMau.removeOrg) <img src=x onerror=alert(1)>', 'a'.repeat(5000)];
      const name = definitionName({ source: 'logs', eventTypes: hostile });
      assert.ok(name.startsWith('Custom: 3 event types ('), name);
      assert.ok(!CONTROLS.test(name) && !/[<>[\]()"\\]/.test(name.slice('Custom: 3 event types ('.length, -1)), name);
      assert.ok(name.length < 200, `${name.length} characters`);
      assert.deepEqual(describeDefinition({ source: 'logs', eventTypes: hostile }).eventTypes, hostile, 'JSON keeps the types as they are');
      assert.equal(definitionName({ source: 'nonsense', eventTypes: ['x.y'] }), 'Custom: 1 event type (x.y)');
    });
  });

  describe('saved files', () => {
    it('keeps the default in the files it always had, and names every other definition by its set of types', () => {
      assert.equal(definitionSuffix(presetDefinition('sign-ins')), '', 'sign-ins reads and writes 2026-10.json, as before presets');
      assert.equal(definitionSuffix(presetDefinition('sign-ins', 'events')), '.events');
      // Pinned: a count of these types saved by an earlier version (with --event-type) is the same file.
      assert.equal(definitionSuffix(presetDefinition('customer-identity')), '.logs-401f766c78');
    });

    it('shares one file between a preset and a custom list of the same types: the same types count the same users', () => {
      const custom = { source: 'logs' as const, eventTypes: [...BLOG_EVENT_TYPES].reverse().concat('user.session.start') };
      assert.equal(definitionSuffix(custom), definitionSuffix(presetDefinition('customer-identity')));
      assert.notEqual(definitionSuffix({ source: 'logs', eventTypes: BLOG_EVENT_TYPES }), definitionSuffix(presetDefinition('customer-identity')));
    });
  });

  describe('the System Log query of Customer Identity', () => {
    const source = createSource('logs', presetDefinition('customer-identity').eventTypes!);

    it('asks Okta for successful events of the eleven types by User actors in one filter', () => {
      const url = new URL(source.firstPageUrl('https://acme.okta.com', new Date('2026-10-01T00:00:00Z'), new Date('2026-11-01T00:00:00Z')));
      const types = ['user.session.start', ...BLOG_EVENT_TYPES].map((t) => `eventType eq "${t}"`).join(' or ');
      assert.equal(url.searchParams.get('filter'), `(${types}) and outcome.result eq "SUCCESS" and actor.type eq "User"`);
      assert.ok(url.toString().length < 2000, `${url.toString().length} characters`);
    });

    it('counts a refresh-token grant to a user, never an app\'s client-credentials grant, a refusal or a revocation', () => {
      const grant = logEvent({ uuid: 'g', at: '2026-10-02T00:00:00Z', eventType: 'app.oauth2.as.token.grant.refresh_token' });
      const counted = source.toSignIn(grant);
      assert.ok(counted && counted !== MALFORMED && counted.userId === '00u1');
      assert.equal(source.toSignIn(logEvent({ uuid: 'c', at: '2026-10-02T00:00:00Z', eventType: 'app.oauth2.token.grant.access_token', type: 'PublicClientApp', id: '0oa1' })), undefined);
      assert.equal(source.toSignIn(logEvent({ uuid: 'f', at: '2026-10-02T00:00:00Z', eventType: 'app.oauth2.token.grant.refresh_token', result: 'FAILURE' })), undefined);
      assert.equal(source.toSignIn(logEvent({ uuid: 'r', at: '2026-10-02T00:00:00Z', eventType: 'app.oauth2.as.token.revoke' })), undefined);
    });
  });

  describe('outputs name their definition', () => {
    const ci = report({ eventTypes: presetDefinition('customer-identity').eventTypes as string[] });

    it('says it in the table, and in JSON as { id, name, eventTypes }', () => {
      assert.match(reportToTable(ci), /^Definition: Customer Identity \(Okta's MAU billing\)$/m);
      assert.match(reportToTable(report()), /^Definition: Sign-ins \(user\.session\.start\)$/m);
      const doc = JSON.parse(reportToJson(ci));
      assert.deepEqual(doc.definition, { id: 'customer-identity', name: CUSTOMER_IDENTITY_NAME, eventTypes: ci.eventTypes });
      assert.deepEqual(Object.keys(doc).slice(4, 8), ['source', 'eventTypes', 'definition', 'mau']);
    });

    it('keeps the CSV one row per user with its columns: the definition is in the file name a person picks', () => {
      assert.equal(reportToCsv(ci), reportToCsv(report()));
    });

    it('keeps a tampered file\'s event types from acting on the terminal in the table', () => {
      const table = reportToTable(report({ eventTypes: ['user.session.start', 'evil\u001b[2J\u202etypes'] }));
      assert.ok(!CONTROLS.test(table), table);
      assert.match(table, /^Definition: Custom: 2 event types \(user\.session\.start, evil\?\?2J\?types\)$/m);
    });

    it('names it in history (table and JSON rows) and in history --all (table and JSON)', () => {
      const def = describeDefinition(ci);
      const rows = historyRows([ci]);
      const lines = formatHistory(ci.orgUrl, rows, 'table', def).split('\n');
      assert.deepEqual(lines.slice(0, 2), ['MAU history of https://acme.okta.com', `Definition: ${CUSTOMER_IDENTITY_NAME}`]);
      assert.deepEqual(JSON.parse(formatHistory(ci.orgUrl, rows, 'json', def)).map((r: { definition: unknown }) => r.definition), [def]);
      assert.equal(formatHistory(ci.orgUrl, rows, 'csv', def), formatHistory(ci.orgUrl, rows, 'csv'));
      const doc = orgsMonth('2026-10', [{ orgUrl: ci.orgUrl, report: ci }]);
      assert.match(formatOrgsMonth(doc, 'table', def), /^MAU of 2026-10 by org\nDefinition: Customer Identity \(Okta's MAU billing\)\n/);
      assert.deepEqual(JSON.parse(formatOrgsMonth(doc, 'json', def)), { month: '2026-10', definition: def, orgs: doc.orgs, total: 1 });
    });

    it('names it in the inactive users of a month', () => {
      const inactive: InactiveReport = { kind: 'month', orgUrl: ci.orgUrl, month: '2026-10', asOf: '2026-11-20T00:00:00.000Z', statuses: ['ACTIVE'], licensed: 2, active: 1, utilisation: 0.5, users: [] };
      const def = describeDefinition(ci);
      const table = formatInactive(inactive, 'table', { definition: def });
      assert.match(table, /^Users holding a licence with no activity in October 2026: 0$/m);
      assert.match(table, /^Definition: +Customer Identity \(Okta's MAU billing\)$/m);
      assert.deepEqual(JSON.parse(formatInactive(inactive, 'json', { definition: def })).definition, def);
      assert.match(formatInactive(inactive, 'table', { definition: describeDefinition(report()) }), /^Users holding a licence with no sign-in in October 2026: 0$/m);
      assert.equal('definition' in JSON.parse(formatInactive(inactive, 'json')), false);
    });
  });
});
