/**
 * The Users tree's elements in plain Node: `tree/nodes.ts` imports only the core and types, so its ids,
 * orders and filter are checked here without VS Code (the tree itself is checked in test/vscode/suite).
 */
import { strict as assert } from 'node:assert';
import type { UserActivity } from '../../src/core/types';
import type { OrgUser } from '../../src/core/users';
import {
  accountDay,
  accountTime,
  countMatches,
  matchesFilter,
  nodeId,
  placeName,
  seenTime,
  sortOrgUsers,
  sortUsers,
  type DetailNode,
  type GroupNode,
  type MonthNode,
  type OrgNode,
  type OrgUserNode,
  type UserNode,
} from '../../src/extension/tree/nodes';

function orgUser(id: string, o: Partial<OrgUser> = {}): OrgUser {
  return { id, login: `${id}@example.com`, displayName: '', status: 'ACTIVE', lastLogin: null, ...o };
}

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
    assert.equal(nodeId({ kind: 'noMatch', orgId: 'o1', month: '2026-10', parent: month, filter: 'ann' }), 'org/o1/2026-10/no-match');
    const detail: DetailNode = { kind: 'detail', orgId: 'o1', parent: ada, key: 'lastSeen', label: 'Last seen', value: 'today' };
    assert.equal(nodeId(detail), 'org/o1/2026-10/user/00u1/lastSeen');
  });

  it('gives the inactive and dormant groups, their users, paging and details ids of their own under the month', () => {
    const group = (what: 'inactive' | 'dormant'): GroupNode => ({ kind: 'group', what, orgId: 'o1', month: '2026-10', parent: month, total: 3, licensed: 5, active: 2, statuses: ['ACTIVE'], listedAt: '2026-11-02T00:00:00.000Z', toDate: false, partial: false });
    const [inactive, dormant] = [group('inactive'), group('dormant')];
    assert.equal(nodeId({ kind: 'listUsers', orgId: 'o1', month: '2026-10', parent: month }), 'org/o1/2026-10/list-users');
    assert.equal(nodeId(inactive), 'org/o1/2026-10/inactive');
    assert.equal(nodeId(dormant), 'org/o1/2026-10/dormant');
    const listed: OrgUserNode = { kind: 'orgUser', orgId: 'o1', month: '2026-10', parent: inactive, user: orgUser('00u1') };
    // The same user in both groups, and among the month's active users elsewhere: three rows, three ids.
    const ids = [nodeId(listed), nodeId({ ...listed, parent: dormant }), nodeId(ada)];
    assert.deepEqual(ids, ['org/o1/2026-10/inactive/user/00u1', 'org/o1/2026-10/dormant/user/00u1', 'org/o1/2026-10/user/00u1']);
    assert.equal(nodeId({ kind: 'more', orgId: 'o1', month: '2026-10', parent: inactive, shown: 200, remaining: 5 }), 'org/o1/2026-10/inactive/more');
    assert.equal(nodeId({ kind: 'noMatch', orgId: 'o1', month: '2026-10', parent: dormant, filter: 'x' }), 'org/o1/2026-10/dormant/no-match');
    assert.equal(nodeId({ kind: 'detail', orgId: 'o1', parent: listed, key: 'status', label: 'Status', value: 'Active' }), 'org/o1/2026-10/inactive/user/00u1/status');
    // The dormant group keeps its id when the days change, so it is redrawn in place.
    assert.equal(nodeId({ ...dormant, days: 30, total: 9 }), nodeId({ ...dormant, days: 90, total: 3 }));
  });

  it('keeps the no-match row\'s id when the filter changes, so it is redrawn in place', () => {
    const a = nodeId({ kind: 'noMatch', orgId: 'o1', month: '2026-10', parent: month, filter: 'ann' });
    const b = nodeId({ kind: 'noMatch', orgId: 'o1', month: '2026-10', parent: { ...month, filter: { text: 'bob', matches: 0 } }, filter: 'bob' });
    assert.equal(a, b);
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

describe('sortOrgUsers', () => {
  const users = [
    orgUser('u1', { login: 'bob@example.com', displayName: 'Bob', lastLogin: '2026-03-20T00:00:00.000Z' }),
    orgUser('u2', { login: 'amy@example.com', displayName: 'amy', lastLogin: null }),
    orgUser('u3', { login: 'cy@example.com', displayName: '', lastLogin: '2025-01-02T00:00:00.000Z' }),
    orgUser('u4', { login: 'dan@example.com', displayName: 'item 10', lastLogin: '2026-03-20T00:00:00.000Z' }),
    orgUser('u5', { login: 'eve@example.com', displayName: 'item 9', lastLogin: null }),
  ];
  const ids = (list: OrgUser[]) => list.map((u) => u.id);

  it('puts the longest without a sign-in first by default and for "least active": never signed in, then the oldest sign-in, ties by login', () => {
    assert.deepEqual(ids(sortOrgUsers(users, 'sessions')), ['u2', 'u5', 'u3', 'u1', 'u4']);
    assert.deepEqual(ids(sortOrgUsers(users, 'leastActive')), ['u2', 'u5', 'u3', 'u1', 'u4']);
  });

  it('puts the latest sign-in first for "most recent", never signed in last', () => {
    assert.deepEqual(ids(sortOrgUsers(users, 'recent')), ['u1', 'u4', 'u3', 'u2', 'u5']);
  });

  it('orders alphabetically by name as the active users are (login when there is no name, numbers as numbers)', () => {
    assert.deepEqual(ids(sortOrgUsers(users, 'alphabetical')), ['u2', 'u1', 'u3', 'u5', 'u4']);
  });

  it('leaves the listing as it was', () => {
    const before = ids(users);
    assert.notEqual(sortOrgUsers(users, 'recent'), users);
    assert.deepEqual(ids(users), before);
  });

  it('filters listed users by login or name as it filters active ones', () => {
    assert.equal(countMatches(users, 'ITEM'), 2);
    assert.equal(matchesFilter(users[0]!, 'bob@'), true);
    assert.equal(matchesFilter(users[0]!, 'u1'), false);
  });
});

describe('accountTime and accountDay', () => {
  const words = (s: string) => s.replace(/\s/gu, ' ');

  it('reads an account instant with its year, on the UTC clock, in the reader\'s language', () => {
    assert.equal(words(accountTime('2024-12-31T23:30:00.000Z', 'en')), 'Dec 31, 2024, 11:30 PM');
    assert.equal(words(accountTime('2024-12-31T23:30:00.000Z', 'de')), '31. Dez. 2024, 23:30');
    assert.equal(words(accountDay('2024-12-31T23:30:00.000Z', 'en')), 'Dec 31, 2024');
  });

  it('shows a value it cannot read as it is', () => {
    assert.equal(accountTime('soon', 'en'), 'soon');
    assert.equal(accountDay('', 'en'), '');
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

describe('countMatches', () => {
  const users = [
    user('u1', { login: 'ann@example.com', displayName: 'Ann Lee' }),
    user('u2', { login: 'joanna@example.com', displayName: 'Joanna Smith' }),
    user('u3', { login: 'bob@example.com', displayName: 'Bob Annan' }),
    user('u4', { login: 'cy@example.com', displayName: 'Cy' }),
  ];

  it('counts the users the filter lets through, as the tree shows them', () => {
    assert.equal(countMatches(users, 'ann'), 3);
    assert.equal(countMatches(users, 'ANN'), users.filter((u) => matchesFilter(u, 'ANN')).length);
    assert.equal(countMatches(users, 'cy@'), 1);
  });

  it('counts none when nobody matches, and everyone for a blank filter', () => {
    assert.equal(countMatches(users, 'zed'), 0);
    assert.equal(countMatches(users, '  '), 4);
    assert.equal(countMatches([], 'ann'), 0);
  });
});

describe('seenTime', () => {
  // ICU versions differ on the space before "PM" (a narrow no-break space in some): compare words.
  const seen = (iso: string, locale: string) => seenTime(iso, locale).replace(/\s/gu, ' ');

  it('reads an instant on the UTC clock, in the reader\'s language, without the year', () => {
    assert.equal(seen('2026-12-02T13:46:37.285Z', 'en'), 'Dec 2, 1:46 PM');
    assert.equal(seen('2026-12-02T13:46:37.285Z', 'en-GB'), '2 Dec, 13:46');
    assert.equal(seen('2026-12-02T13:46:37.285Z', 'de'), '2. Dez., 13:46');
  });

  it('does not move an instant to another day with the machine\'s time zone', () => {
    // 23:30 UTC is already the next day east of Greenwich and still this day west of it.
    assert.equal(seen('2026-12-01T23:30:00.000Z', 'en'), 'Dec 1, 11:30 PM');
    assert.equal(seen('2026-12-01T00:05:00.000Z', 'en'), 'Dec 1, 12:05 AM');
  });

  it('shows a value it cannot read as it is, rather than "Invalid Date"', () => {
    assert.equal(seen('', 'en'), '');
    assert.equal(seen('yesterday', 'en'), 'yesterday');
  });
});

describe('placeName', () => {
  it('names the city and the country', () => {
    assert.equal(placeName('Paris', 'France'), 'Paris, France');
  });

  it('names a city-state once', () => {
    assert.equal(placeName('Singapore', 'Singapore'), 'Singapore');
    assert.equal(placeName('Monaco', ' monaco '), 'Monaco');
  });

  it('names what is known, and nothing when nothing is', () => {
    assert.equal(placeName(undefined, 'France'), 'France');
    assert.equal(placeName('Paris', ''), 'Paris');
    assert.equal(placeName(undefined, undefined), undefined);
    assert.equal(placeName(' ', ''), undefined);
  });
});
