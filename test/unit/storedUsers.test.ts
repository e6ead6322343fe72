/** The saved user-listing file format of the extension: written in parts, read back checked, and what the next listing builds on. Plain data, no `vscode`. */
import { strict as assert } from 'node:assert';
import { USERS_LISTING_VERSION, type UsersListing } from '../../src/core/userListing';
import type { OrgUser } from '../../src/core/users';
import { missingStatuses, planFrom, readListing, reasonToKeepListing, serialiseListing, toCoreListing, toStoredListing, USERS_FORMAT_VERSION, type UserListing } from '../../src/extension/storedUsers';

const ORG_ID = '0123456789abcdef';
const TAG = 'a1b2c3d4e5f6';
const BILLABLE = ['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'RECOVERY'];

function listing(over: Partial<UserListing> = {}): UserListing {
  return {
    orgId: ORG_ID,
    credential: TAG,
    statuses: [...BILLABLE].sort(),
    listedAt: '2026-11-02T10:00:00.000Z',
    fullListedAt: '2026-11-01T10:00:00.000Z',
    lastLoginAsOf: '2026-11-02T10:00:00.000Z',
    lastLoginSearch: { supported: true, checkedAt: '2026-11-02T10:00:00.000Z' },
    incremental: true,
    changed: 2,
    requests: 3,
    users: [
      {
        id: '00u1',
        login: 'ann@example.com',
        displayName: 'Ann "Q" \u202e ]}',
        status: 'ACTIVE',
        created: '2024-01-02T03:04:05.000Z',
        activated: '2024-01-02T04:00:00.000Z',
        lastLogin: '2026-10-30T08:00:00.000Z',
        passwordChanged: '2024-02-01T00:00:00.000Z',
        lastUpdated: '2026-10-30T08:00:00.000Z',
        statusChanged: '2024-01-02T04:00:00.000Z',
      },
      { id: '00u2', login: '"users":[@example.com', displayName: '', status: 'LOCKED_OUT', lastLogin: null },
    ],
    ...over,
  };
}

const bytes = async (l: UserListing) => Buffer.concat(await serialiseListing(l));
const read = async (l: UserListing | Buffer, orgId = ORG_ID) => readListing(Buffer.isBuffer(l) ? l : await bytes(l), orgId);

describe('the saved user-listing file format', () => {
  it('reads back exactly what it wrote: the core listing without the org URL, the org id and credential tag, org data and never-signed-in users included', async () => {
    const l = listing();
    const r = await read(l);
    assert.equal(r.kind, 'ok');
    assert.deepEqual(r.kind === 'ok' && r.listing, l);
    const doc = JSON.parse((await bytes(l)).toString('utf8'));
    assert.equal(doc.formatVersion, USERS_FORMAT_VERSION);
    assert.equal(doc.listing.orgUrl, undefined, 'the file names the org');
  });

  it('reads back a listing of more users than one turn parses, in order', async () => {
    const users: OrgUser[] = Array.from({ length: 4500 }, (_, i) => ({ id: `00u${i}`, login: `u${i}@example.com`, displayName: `User ${i}`, status: 'ACTIVE', lastLogin: i % 3 ? null : '2026-01-01T00:00:00.000Z' }));
    const r = await read(listing({ users }));
    assert.equal(r.kind, 'ok');
    assert.deepEqual(r.kind === 'ok' && r.listing.users.map((u) => u.id), users.map((u) => u.id));
  });

  it('keeps nothing of a user but what a user is', async () => {
    const hostile = { ...listing().users[0]!, extra: 'x', ['__proto__']: { polluted: true } } as unknown as OrgUser;
    const r = await read(listing({ users: [hostile] }));
    assert.equal(r.kind, 'ok');
    assert.deepEqual(r.kind === 'ok' && Object.keys(r.listing.users[0]!).sort(), Object.keys(listing().users[0]!).sort());
  });

  it('calls a cut-off or garbled file damaged, with a reason, instead of throwing', async () => {
    const whole = await bytes(listing());
    for (const broken of [whole.subarray(0, whole.length - 20), Buffer.from('{"formatVersion":2,"listing":'), Buffer.from('not json'), Buffer.from('')]) {
      const r = await read(broken);
      assert.equal(r.kind, 'damaged');
      assert.ok(r.kind === 'damaged' && r.reason.length > 0);
    }
  });

  it('refuses a listing with a field the tree, an export or the next listing reads broken', async () => {
    const broken: [UserListing, RegExp][] = [
      [listing({ listedAt: 'yesterday' }), /damaged times/],
      [listing({ fullListedAt: '2026-11-03T10:00:00.000Z' }), /damaged times/],
      [listing({ statuses: ['ACTIVE', 'ADMIN'] }), /statuses/],
      [listing({ credential: 'my token' }), /missing or malformed/],
      [listing({ users: [{ ...listing().users[0]!, id: '' }] }), /usable id/],
      [listing({ users: [{ ...listing().users[0]!, lastLogin: 'never' }] }), /missing or malformed/],
      [listing({ users: [{ ...listing().users[0]!, created: 42 as unknown as string }] }), /missing or malformed/],
      [listing({ users: [{ ...listing().users[0]!, displayName: undefined as unknown as string }] }), /missing or malformed/],
      [listing({ users: [{ ...listing().users[0]!, status: 'SUSPENDED' }] }), /status it did not list/],
      [listing({ users: [listing().users[0]!, listing().users[0]!] }), /a user twice/],
    ];
    for (const [l, reason] of broken) {
      const r = await read(l);
      assert.equal(r.kind, 'damaged', JSON.stringify(l).slice(0, 200));
      assert.match(r.kind === 'damaged' ? r.reason : '', reason);
    }
    const noUsers = Buffer.from(JSON.stringify({ formatVersion: 2, listing: { ...listing(), users: undefined } }));
    assert.equal((await read(noUsers)).kind, 'damaged');
    assert.equal((await read(Buffer.from(JSON.stringify({ formatVersion: 2, report: {} })))).kind, 'damaged');
  });

  it("calls a file holding another org's listing damaged, so it is set aside and never shown or built on", async () => {
    const r = await read(listing(), 'fedcba9876543210');
    assert.deepEqual(r, { kind: 'damaged', reason: "it holds another org's listing" });
  });

  it('leaves a file of a newer format to the version that wrote it', async () => {
    const r = await read(Buffer.from(JSON.stringify({ formatVersion: USERS_FORMAT_VERSION + 1, listing: { anything: true } })));
    assert.deepEqual(r, { kind: 'newer', formatVersion: USERS_FORMAT_VERSION + 1 });
  });

  it('loads a listing of the first format (before listings were incremental) to show, naming no credential, so the next listing is full', async () => {
    const users = listing().users.map(({ lastUpdated: _u, statusChanged: _s, ...u }) => u);
    const v1 = Buffer.from(JSON.stringify({ formatVersion: 1, listing: { listedAt: '2026-11-02T10:00:00.000Z', statuses: BILLABLE, users } }));
    const r = await read(v1);
    assert.equal(r.kind, 'ok');
    if (r.kind !== 'ok') return;
    assert.deepEqual(r.listing.users, users);
    assert.deepEqual(r.listing.statuses, [...BILLABLE].sort());
    assert.equal(r.listing.listedAt, '2026-11-02T10:00:00.000Z');
    assert.equal(r.listing.credential, undefined);
    assert.equal(r.listing.orgId, ORG_ID);
    assert.deepEqual(planFrom(r.listing, { credential: TAG, statuses: BILLABLE, fromScratch: false }), {
      statuses: BILLABLE,
      reason: 'the saved listing was made by an earlier version of the extension',
    });
    // A damaged file of the first format is still damaged.
    const cut = v1.subarray(0, v1.length - 10);
    assert.equal((await read(cut)).kind, 'damaged');
    const badUser = Buffer.from(JSON.stringify({ formatVersion: 1, listing: { listedAt: '2026-11-02T10:00:00.000Z', statuses: BILLABLE, users: [{ ...users[0], lastLogin: 'never' }] } }));
    assert.equal((await read(badUser)).kind, 'damaged');
  });

  it('keeps a newer listing on disk rather than an older one finishing late', () => {
    const older = listing({ listedAt: '2026-11-02T10:00:00.000Z' });
    const newer = listing({ listedAt: '2026-11-02T11:00:00.000Z' });
    assert.match(reasonToKeepListing(newer, older) ?? '', /newer than this one/);
    assert.equal(reasonToKeepListing(older, newer), undefined);
    assert.equal(reasonToKeepListing(older, older), undefined);
  });

  it('turns the core listing into what is stored and back, without the org URL or why it was full', () => {
    const core: UsersListing = { formatVersion: USERS_LISTING_VERSION, orgUrl: 'https://acme.okta.com', fullReason: 'acme.okta.com refused the query', ...(({ orgId: _o, credential: _c, ...rest }) => rest)(listing()) };
    const stored = toStoredListing(core, ORG_ID, TAG);
    assert.ok(!JSON.stringify(stored).includes('acme.okta.com'), 'the stored listing names the org');
    assert.deepEqual(stored, listing());
    const { fullReason: _reason, ...withoutReason } = core;
    assert.deepEqual(toCoreListing(stored, 'https://acme.okta.com'), withoutReason);
  });
});

describe('what the next listing builds on', () => {
  const opts = { credential: TAG, statuses: BILLABLE, fromScratch: false };

  it('lists every user the first time', () => {
    assert.deepEqual(planFrom(undefined, opts), { statuses: BILLABLE });
  });

  it('hands the saved listing over when the same credential made it', () => {
    const saved = listing();
    const plan = planFrom(saved, opts);
    assert.equal(plan.base, saved);
    assert.deepEqual(plan.statuses, saved.statuses);
    assert.equal(plan.reason, undefined);
  });

  it('lists every user from scratch, or when another credential made the saved listing', () => {
    assert.deepEqual(planFrom(listing(), { ...opts, fromScratch: true }), { statuses: BILLABLE, reason: 'listing from scratch, as asked' });
    assert.deepEqual(planFrom(listing(), { ...opts, credential: 'ffffffffffff' }), { statuses: BILLABLE, reason: 'the saved listing was made with another credential' });
  });

  it('asks for the saved statuses again when they hold every licensed one, and for the licensed ones when one is missing', () => {
    assert.deepEqual(planFrom(listing(), { ...opts, statuses: ['ACTIVE'] }).statuses, [...BILLABLE].sort());
    const wider = [...BILLABLE, 'SUSPENDED'];
    const plan = planFrom(listing(), { ...opts, statuses: wider });
    assert.deepEqual(plan.statuses, wider);
    assert.ok(plan.base, 'the saved listing is still handed over: the core says why it lists every user, and keeps what it learned of the org');
    assert.deepEqual(missingStatuses(listing(), wider), ['SUSPENDED']);
    assert.deepEqual(missingStatuses(listing(), ['RECOVERY', 'ACTIVE']), []);
  });
});
