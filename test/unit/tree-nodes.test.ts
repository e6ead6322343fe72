/**
 * The Users tree's elements in plain Node: `tree/nodes.ts` imports only the core and types, so its ids,
 * orders and filter are checked here without VS Code (the tree itself is checked in test/vscode/suite).
 */
import { strict as assert } from 'node:assert';
import type { UserActivity } from '../../src/core/types';
import { matchesFilter, nodeId, sortUsers, type DetailNode, type MonthNode, type OrgNode, type UserNode } from '../../src/extension/tree/nodes';

function user(id: string, o: Partial<UserActivity> = {}): UserActivity {
  return { id, login: `${id}@example.com`, displayName: '', sessions: 1, activeDays: 1, firstSeen: '2026-10-01T00:00:00.000Z', lastSeen: '2026-10-01T00:00:00.000Z', ...o };
}

describe('Users tree node ids', () => {
  const org: OrgNode = { kind: 'org', orgId: 'o1', orgUrl: 'https://acme.okta.com', active: true, hasResults: true };
  const summary = { mau: 2, complete: true, countedAt: '2026-11-01T00:00:00.000Z', events: 3, since: '2026-10-01T00:00:00.000Z', until: '2026-11-01T00:00:00.000Z', requests: 1 };
  const month: MonthNode = { kind: 'month', orgId: 'o1', month: '2026-10', parent: org, summary };
  const ada: UserNode = { kind: 'user', orgId: 'o1', month: '2026-10', parent: month, user: user('00u1', { displayName: 'Ada Lovelace' }) };

  it('builds each id from org, month and user id, never from a label', () => {
    assert.equal(nodeId(org), 'org/o1');
    assert.equal(nodeId({ kind: 'notCounted', orgId: 'o1', parent: org }), 'org/o1/not-counted');
    assert.equal(nodeId(month), 'org/o1/2026-10');
    assert.equal(nodeId(ada), 'org/o1/2026-10/user/00u1');
    assert.equal(nodeId({ kind: 'more', orgId: 'o1', month: '2026-10', parent: month, shown: 200, remaining: 5 }), 'org/o1/2026-10/more');
    const detail: DetailNode = { kind: 'detail', orgId: 'o1', parent: ada, key: 'lastSeen', label: 'Last seen', value: 'today' };
    assert.equal(nodeId(detail), 'org/o1/2026-10/user/00u1/lastSeen');
  });

  it('keeps a user\'s id when the user\'s counts, login or display name change', () => {
    const recounted: UserNode = { ...ada, user: user('00u1', { login: 'ada.l@example.com', displayName: 'Ada L.', sessions: 9 }) };
    assert.equal(nodeId(recounted), nodeId(ada));
  });
});

describe('sortUsers', () => {
  const users = [
    user('u1', { login: 'bob@example.com', displayName: 'Bob', sessions: 5, activeDays: 3, lastSeen: '2026-10-20T00:00:00.000Z' }),
    user('u2', { login: 'amy@example.com', displayName: 'amy', sessions: 5, activeDays: 1, lastSeen: '2026-10-25T00:00:00.000Z' }),
    user('u3', { login: 'cy@example.com', displayName: '', sessions: 1, activeDays: 1, lastSeen: '2026-10-02T00:00:00.000Z' }),
    user('u4', { login: 'dan@example.com', displayName: 'item 10', sessions: 2, activeDays: 2, lastSeen: '2026-10-25T00:00:00.000Z' }),
    user('u5', { login: 'eve@example.com', displayName: 'item 9', sessions: 1, activeDays: 1, lastSeen: '2026-10-02T00:00:00.000Z' }),
  ];
  const ids = (list: UserActivity[]) => list.map((u) => u.id);

  it('orders by sessions, then login, as the core does', () => {
    assert.deepEqual(ids(sortUsers(users, 'sessions')), ['u2', 'u1', 'u4', 'u3', 'u5']);
  });

  it('orders least active first by active days, then sessions, then login', () => {
    assert.deepEqual(ids(sortUsers(users, 'leastActive')), ['u3', 'u5', 'u2', 'u4', 'u1']);
  });

  it('orders alphabetically by display name (login when it has none), ignoring case and reading numbers as numbers', () => {
    assert.deepEqual(ids(sortUsers(users, 'alphabetical')), ['u2', 'u1', 'u3', 'u5', 'u4']);
  });

  it('orders the most recently seen first, ties by login', () => {
    assert.deepEqual(ids(sortUsers(users, 'recent')), ['u2', 'u4', 'u1', 'u3', 'u5']);
  });

  it('returns a new array and leaves the input as it was', () => {
    const before = ids(users);
    const sorted = sortUsers(users, 'alphabetical');
    assert.notEqual(sorted, users);
    assert.deepEqual(ids(users), before);
  });
});

describe('matchesFilter', () => {
  const ada = user('00u1', { login: 'ada@example.com', displayName: 'Ada Lovelace' });

  it('matches the login or the display name, ignoring case and surrounding spaces', () => {
    assert.equal(matchesFilter(ada, 'ADA@'), true);
    assert.equal(matchesFilter(ada, ' lovelace '), true);
    assert.equal(matchesFilter(ada, 'grace'), false);
  });

  it('does not match on the user id', () => {
    assert.equal(matchesFilter(ada, '00u1'), false);
  });

  it('lets every user through an empty or blank filter', () => {
    assert.equal(matchesFilter(ada, ''), true);
    assert.equal(matchesFilter(ada, '   '), true);
  });
});
