import { strict as assert } from 'node:assert';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeError } from '../../src/core/errors';
import { dormantFor, inactiveInMonth, listUsers, type OrgUser } from '../../src/core/users';
import { formatInactive, INACTIVE_CSV_COLUMNS } from '../../src/core/formatUsers';
import type { UserActivity } from '../../src/core/types';

const user = (id: string, status: string, lastLogin: string | null, login = `${id}@example.com`): OrgUser => ({ id, login, displayName: id.toUpperCase(), status, lastLogin });
const active = (id: string): UserActivity => ({ id, login: `${id}@example.com`, displayName: id, sessions: 1, activeDays: 1, firstSeen: '2026-11-02T00:00:00.000Z', lastSeen: '2026-11-02T00:00:00.000Z' });

const users = [
  user('a', 'ACTIVE', '2026-11-20T10:00:00.000Z'),
  user('b', 'ACTIVE', '2026-08-01T10:00:00.000Z'),
  user('c', 'LOCKED_OUT', null),
  user('d', 'SUSPENDED', '2026-01-01T00:00:00.000Z'),
  user('e', 'STAGED', null),
  user('f', 'PASSWORD_EXPIRED', '2026-11-30T23:59:59.000Z'),
];

describe('users holding a licence without using it', () => {
  it('in a month: billable users with no qualifying sign-in in the count, with utilisation', () => {
    const r = inactiveInMonth(users, { orgUrl: 'https://acme.okta.com', month: '2026-11', users: [active('a'), active('f'), active('d')] }, undefined, new Date('2026-12-02T00:00:00Z'));
    assert.deepEqual(r.users.map((u) => u.id), ['b', 'c']);
    assert.equal(r.licensed, 4); // a, b, c, f: SUSPENDED and STAGED hold none
    assert.equal(r.active, 2);
    assert.equal(r.utilisation, 0.5);
    assert.equal(r.kind, 'month');
    assert.equal(r.month, '2026-11');
  });

  it('for N days: by lastLogin, never signed in included, counted back from the given instant', () => {
    const r = dormantFor(users, 'https://acme.okta.com', 30, new Date('2026-12-02T00:00:00Z'));
    assert.deepEqual(r.users.map((u) => u.id), ['b', 'c']);
    assert.equal(r.active, 2);
    // The day boundary: a last sign-in exactly N days back is within them.
    const edge = dormantFor([user('x', 'ACTIVE', '2026-11-02T00:00:00.000Z')], 'https://acme.okta.com', 30, new Date('2026-12-02T00:00:00Z'));
    assert.equal(edge.users.length, 0);
    assert.throws(() => dormantFor(users, 'https://acme.okta.com', 0, new Date()), /whole number from 1 to 3650/);
  });

  it('takes other statuses when asked', () => {
    const r = inactiveInMonth(users, { orgUrl: 'https://acme.okta.com', month: '2026-11', users: [] }, ['SUSPENDED']);
    assert.deepEqual(r.users.map((u) => u.id), ['d']);
  });

  it('says an org with no licensed users has nobody inactive, not a division by zero', () => {
    const r = dormantFor([user('e', 'STAGED', null)], 'https://acme.okta.com', 30, new Date());
    assert.equal(r.licensed, 0);
    assert.equal(r.utilisation, 0);
  });

  it('prints a table whose org data cannot act on a terminal, and a CSV whose cells cannot run', () => {
    const hostile = [user('h1', 'ACTIVE', null, '=HYPERLINK("http://x")'), { ...user('h2', 'ACTIVE', null), displayName: 'evil\u001b]8;;http://x\u0007name' }];
    const r = dormantFor(hostile, 'https://acme.okta.com', 30, new Date('2026-12-02T00:00:00Z'));
    const table = formatInactive(r, 'table');
    assert.ok(!table.includes('\u001b'), 'no escape character reaches the terminal');
    assert.match(table, /never/);
    assert.match(table, /Licensed: +2/);
    const csv = formatInactive(r, 'csv');
    assert.equal(csv.split('\n')[0], INACTIVE_CSV_COLUMNS.join(','));
    assert.ok(!/^=|,=/m.test(csv), csv);
    assert.deepEqual(JSON.parse(formatInactive(r, 'json')).users.map((u: OrgUser) => u.id), ['h1', 'h2']);
  });
});

describe('a Users API that sends more than it was asked for', () => {
  it('ends the list with one line at a page of more than 200 users, before holding more', async () => {
    let pages = 0;
    const server = createServer((req, res) => {
      pages++;
      const body = JSON.stringify(Array.from({ length: 201 }, (_, i) => ({ id: `00u${pages}x${i}`, status: 'ACTIVE', profile: { login: `u${i}@example.com` } })));
      res.writeHead(200, { 'content-type': 'application/json', link: `<${req.url}&after=${pages}>; rel="next"` });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const err = await listUsers({ orgUrl: url, auth: { mode: 'SSWS', token: '00usersTestToken0123456789' }, statuses: ['ACTIVE'], retry: { maxRetries: 0 } }).catch((e: unknown) => e);
      assert.match(describeError(err), /sent 201 users in one page of ACTIVE users, more than the 200 asked for/);
      assert.equal(pages, 1);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
