import assert from 'node:assert/strict';
import { generateMonth, generateUsers, getAll, startFakeOrg, urlWith, type FakeOrg, type OktaUser } from '../fake-org';
import { applyUserChanges, newUser } from '../fake-org/users-changes';

/**
 * The fake org's users changing between two listings (`test/fake-org/users-changes.ts`): each change
 * dated as Okta dates it, the rules Okta is silent on switchable, and the Users API serving the
 * changed users to `filter=lastUpdated gt` and `search=statusChanged gt` / `lastLogin gt` over HTTP.
 */
const gen = generateMonth({ month: '2026-10', seed: 71, users: 120, sessions: 600 });
const users = generateUsers(gen.events, { seed: 71, dormant: 48 });
const AT = '2026-12-01T09:30:00.000Z';
const find = (list: readonly OktaUser[], id: string) => list.find((u) => u.id === id)!;
const inStatus = (s: string) => users.filter((u) => u.status === s);
const active = inStatus('ACTIVE');

describe('fake org: users changing between listings', function () {
  this.timeout(30_000);

  it('dates a status change by statusChanged and, by default, lastUpdated; a first activation sets activated', () => {
    const [a] = active;
    const staged = inStatus('STAGED')[0];
    const after = applyUserChanges(users, [{ kind: 'status', id: a.id, status: 'SUSPENDED' }, { kind: 'status', id: staged.id, status: 'ACTIVE' }], AT);
    assert.deepEqual([find(after, a.id).status, find(after, a.id).statusChanged, find(after, a.id).lastUpdated], ['SUSPENDED', AT, AT]);
    assert.equal(find(after, a.id).activated, a.activated, 'activated stays');
    assert.deepEqual([find(after, staged.id).activated, find(after, staged.id).statusChanged], [AT, AT]);
    const quiet = applyUserChanges(users, [{ kind: 'status', id: a.id, status: 'SUSPENDED' }], AT, { statusChangeUpdatesLastUpdated: false });
    assert.deepEqual([find(quiet, a.id).statusChanged, find(quiet, a.id).lastUpdated], [AT, a.lastUpdated]);
    assert.equal(find(users, a.id).status, 'ACTIVE', 'the input is not modified');
  });

  it('dates a sign-in by lastLogin and, only when the rule says so, lastUpdated', () => {
    const [, b] = active;
    const after = applyUserChanges(users, [{ kind: 'signIn', id: b.id }], AT);
    assert.deepEqual([find(after, b.id).lastLogin, find(after, b.id).lastUpdated], [AT, b.lastUpdated]);
    const bumped = applyUserChanges(users, [{ kind: 'signIn', id: b.id }], AT, { signInUpdatesLastUpdated: true });
    assert.deepEqual([find(bumped, b.id).lastLogin, find(bumped, b.id).lastUpdated], [AT, AT]);
    assert.throws(() => applyUserChanges(users, [{ kind: 'signIn', id: inStatus('SUSPENDED')[0].id }], AT), /SUSPENDED: a sign-in cannot complete/);
  });

  it('dates a profile change and a new user by lastUpdated; deletes as Okta does, deactivating first', () => {
    const [, , c, d] = active;
    const created = newUser(71, 1, 'ACTIVE');
    const gone = inStatus('DEPROVISIONED')[0];
    const after = applyUserChanges(
      users,
      [{ kind: 'profile', id: c.id, profile: { lastName: 'Renamed' } }, { kind: 'create', user: created }, { kind: 'delete', id: d.id }, { kind: 'delete', id: gone.id }],
      AT,
    );
    assert.deepEqual([find(after, c.id).profile.lastName, find(after, c.id).lastUpdated], ['Renamed', AT]);
    assert.deepEqual([find(after, created.id).created, find(after, created.id).lastUpdated, find(after, created.id).lastLogin], [AT, AT, null]);
    assert.deepEqual([find(after, d.id).status, find(after, d.id).statusChanged], ['DEPROVISIONED', AT], 'a first delete deactivates');
    assert.equal(after.some((u) => u.id === gone.id), false, 'a deactivated user is deleted');
    assert.equal(after.length, users.length, 'one added, one deleted');
    assert.notEqual(newUser(71, 1).id, newUser(71, 2).id);
  });

  describe('served over HTTP after org.setUsers', () => {
    let org: FakeOrg;
    before(async () => {
      org = await startFakeOrg({ users, usersSearchLastLogin: 'supported' });
    });
    after(() => org?.close());

    const ids = async (params: Record<string, string>) => (await getAll<OktaUser>(urlWith(org.url, '/api/v1/users', { ...params, limit: 200 }), `SSWS ${org.token}`)).items.map((u) => u.id).sort();

    it('answers lastUpdated gt, statusChanged gt and lastLogin gt with exactly the users changed after the instant, the deactivated included', async () => {
      const since = new Date(Date.parse(AT) - 1).toISOString();
      assert.deepEqual(await ids({ filter: `lastUpdated gt "${since}"` }), [], 'nobody changed yet');
      const [a, b, c] = active;
      const created = newUser(71, 7, 'ACTIVE');
      org.setUsers(
        applyUserChanges(users, [{ kind: 'status', id: a.id, status: 'DEPROVISIONED' }, { kind: 'signIn', id: b.id }, { kind: 'status', id: c.id, status: 'LOCKED_OUT' }, { kind: 'create', user: created }], AT, {
          statusChangeUpdatesLastUpdated: false,
        }),
      );
      assert.deepEqual(await ids({ filter: `lastUpdated gt "${since}"` }), [created.id], 'status changes and sign-ins did not move lastUpdated under these rules');
      assert.deepEqual(await ids({ search: `statusChanged gt "${since}"` }), [a.id, c.id, created.id].sort(), 'the deactivated user too');
      assert.deepEqual(await ids({ search: `lastLogin gt "${since}"` }), [b.id]);
      assert.deepEqual(await ids({ filter: `lastUpdated gt "${AT}"` }), [], 'gt is strict');
      assert.deepEqual(await ids({ filter: `lastUpdated ge "${AT}"` }), [created.id]);
    });
  });
});
