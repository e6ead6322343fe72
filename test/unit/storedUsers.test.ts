/** The saved user-listing file format of the extension: written in parts, read back checked. Plain data, no `vscode`. */
import { strict as assert } from 'node:assert';
import type { OrgUser } from '../../src/core/users';
import { readListing, reasonToKeepListing, serialiseListing, USERS_FORMAT_VERSION, type UserListing } from '../../src/extension/storedUsers';

function listing(over: Partial<UserListing> = {}): UserListing {
  return {
    listedAt: '2026-11-02T10:00:00.000Z',
    statuses: ['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'RECOVERY'],
    users: [
      { id: '00u1', login: 'ann@example.com', displayName: 'Ann "Q" \u202e ]}', status: 'ACTIVE', created: '2024-01-02T03:04:05.000Z', activated: '2024-01-02T04:00:00.000Z', lastLogin: '2026-10-30T08:00:00.000Z', passwordChanged: '2024-02-01T00:00:00.000Z' },
      { id: '00u2', login: '"users":[@example.com', displayName: '', status: 'LOCKED_OUT', lastLogin: null },
    ],
    ...over,
  };
}

const bytes = async (l: UserListing) => Buffer.concat(await serialiseListing(l));

describe('the saved user-listing file format', () => {
  it('reads back exactly what it wrote, org data and never-signed-in users included', async () => {
    const l = listing();
    const read = await readListing(await bytes(l));
    assert.equal(read.kind, 'ok');
    assert.deepEqual(read.kind === 'ok' && read.listing, l);
    assert.equal(JSON.parse((await bytes(l)).toString('utf8')).formatVersion, USERS_FORMAT_VERSION);
  });

  it('reads back a listing of more users than one turn parses, in order', async () => {
    const users: OrgUser[] = Array.from({ length: 4500 }, (_, i) => ({ id: `00u${i}`, login: `u${i}@example.com`, displayName: `User ${i}`, status: 'ACTIVE', lastLogin: i % 3 ? null : '2026-01-01T00:00:00.000Z' }));
    const read = await readListing(await bytes(listing({ users })));
    assert.equal(read.kind, 'ok');
    assert.deepEqual(read.kind === 'ok' && read.listing.users.map((u) => u.id), users.map((u) => u.id));
  });

  it('calls a cut-off or garbled file damaged, with a reason, instead of throwing', async () => {
    const whole = await bytes(listing());
    for (const broken of [whole.subarray(0, whole.length - 20), Buffer.from('{"formatVersion":1,"listing":'), Buffer.from('not json'), Buffer.from('')]) {
      const read = await readListing(broken);
      assert.equal(read.kind, 'damaged');
      assert.ok(read.kind === 'damaged' && read.reason.length > 0);
    }
  });

  it('refuses a listing with a field the tree or an export reads broken', async () => {
    const broken: UserListing[] = [
      listing({ listedAt: 'yesterday' }),
      listing({ statuses: ['ACTIVE', 'ADMIN'] }),
      listing({ users: [{ ...listing().users[0]!, id: '' }] }),
      listing({ users: [{ ...listing().users[0]!, lastLogin: 'never' }] }),
      listing({ users: [{ ...listing().users[0]!, created: 42 as unknown as string }] }),
      listing({ users: [{ ...listing().users[0]!, displayName: undefined as unknown as string }] }),
    ];
    for (const l of broken) {
      const read = await readListing(await bytes(l));
      assert.equal(read.kind, 'damaged', JSON.stringify(l).slice(0, 200));
    }
    const noUsers = Buffer.from(JSON.stringify({ formatVersion: 1, listing: { listedAt: '2026-11-02T10:00:00.000Z', statuses: ['ACTIVE'] } }));
    assert.equal((await readListing(noUsers)).kind, 'damaged');
    assert.equal((await readListing(Buffer.from(JSON.stringify({ formatVersion: 1, report: {} })))).kind, 'damaged');
  });

  it('leaves a file of a newer format to the version that wrote it', async () => {
    const read = await readListing(Buffer.from(JSON.stringify({ formatVersion: USERS_FORMAT_VERSION + 1, listing: { anything: true } })));
    assert.deepEqual(read, { kind: 'newer', formatVersion: USERS_FORMAT_VERSION + 1 });
  });

  it('keeps a newer listing on disk rather than an older one finishing late', () => {
    const older = listing({ listedAt: '2026-11-02T10:00:00.000Z' });
    const newer = listing({ listedAt: '2026-11-02T11:00:00.000Z' });
    assert.match(reasonToKeepListing(newer, older) ?? '', /newer than this one/);
    assert.equal(reasonToKeepListing(older, newer), undefined);
    assert.equal(reasonToKeepListing(older, older), undefined);
  });
});
