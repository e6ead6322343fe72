/** The saved-result file format of the extension: written in parts, read back checked. Plain data, no `vscode`. */
import { strict as assert } from 'node:assert';
import { FORMAT_VERSION, readStored, reasonToKeep, serialise, type StoredReport } from '../../src/extension/storedReport';

function stored(over: Partial<StoredReport> = {}): StoredReport {
  return {
    month: '2026-10', since: '2026-10-01T00:00:00.000Z', until: '2026-11-01T00:00:00.000Z', fetchedUntil: '2026-11-01T00:00:00.000Z',
    source: 'logs', eventTypes: ['user.session.start'], mau: 2, complete: true, events: 5, skippedEvents: 0, pages: 1, requests: 1,
    dailyActiveUsers: Array.from({ length: 31 }, (_, i) => (i === 1 ? 2 : 0)), incremental: false,
    checkpoint: { overlapFrom: '2026-10-31T23:50:00.000Z', overlapUuids: [] },
    users: [
      { id: 'u1', login: 'ann@example.com', displayName: 'Ann "Q" \u202e', sessions: 3, activeDays: 1, firstSeen: '2026-10-02T08:00:00.000Z', lastSeen: '2026-10-02T09:00:00.000Z', dayMask: 2, lastClient: { city: 'Paris', browser: 'CHROME' } },
      { id: 'u2', login: 'bob@example.com', displayName: '', sessions: 2, activeDays: 1, firstSeen: '2026-10-02T10:00:00.000Z', lastSeen: '2026-10-02T11:00:00.000Z', dayMask: 2 },
    ],
    countedAt: '2026-11-02T00:00:00.000Z', durationMs: 1234,
    ...over,
  };
}

const bytes = async (r: StoredReport) => Buffer.concat(await serialise(r));

describe('the saved-result file format', () => {
  it('reads back exactly what it wrote, org data included', async () => {
    const r = stored();
    const read = await readStored(await bytes(r), r.month, '');
    assert.equal(read.kind, 'ok');
    assert.deepEqual(read.kind === 'ok' && read.report, r);
    assert.equal(JSON.parse((await bytes(r)).toString('utf8')).formatVersion, FORMAT_VERSION);
  });

  it('calls a cut-off or garbled file damaged, with a reason, instead of throwing', async () => {
    const whole = await bytes(stored());
    for (const broken of [whole.subarray(0, whole.length - 20), Buffer.from('{"formatVersion":1,"report":'), Buffer.from('not json')]) {
      const read = await readStored(broken, '2026-10', '');
      assert.equal(read.kind, 'damaged');
      assert.ok(read.kind === 'damaged' && read.reason.length > 0);
    }
  });

  it('refuses a report of another month, or with a field a view relies on broken', async () => {
    assert.equal((await readStored(await bytes(stored()), '2026-09', '')).kind, 'damaged');
    for (const over of [{ mau: -1 }, { complete: 'yes' }, { countedAt: 'yesterday' }, { source: '__proto__' }, { users: 'none' }] as Partial<StoredReport>[]) {
      const file = JSON.parse((await bytes(stored())).toString('utf8'));
      const read = await readStored(Buffer.from(JSON.stringify({ ...file, report: { ...file.report, ...over } })), '2026-10', '');
      assert.equal(read.kind, 'damaged', JSON.stringify(over));
    }
  });

  it('leaves a file of a newer format alone, and names a file of another definition', async () => {
    const newer = Buffer.from(JSON.stringify({ formatVersion: FORMAT_VERSION + 1, report: {} }));
    assert.deepEqual(await readStored(newer, '2026-10', ''), { kind: 'newer', formatVersion: FORMAT_VERSION + 1 });
    const events = await readStored(await bytes(stored({ source: 'events' })), '2026-10', '');
    assert.equal(events.kind, 'misfiled');
    assert.equal(events.kind === 'misfiled' && events.suffix, '.events');
  });

  it('keeps a complete count over a partial one unless told, and never goes back to an older count', () => {
    const complete = stored();
    const partial = stored({ complete: false, partialReason: 'beyond 90 days', countedAt: '2026-12-01T00:00:00.000Z' });
    assert.match(reasonToKeep(complete, partial) ?? '', /is complete and this one is partial/);
    assert.equal(reasonToKeep(complete, partial, true), undefined);
    assert.match(reasonToKeep(stored({ countedAt: '2026-11-03T00:00:00.000Z' }), complete) ?? '', /is newer than this one/);
    assert.equal(reasonToKeep(complete, stored({ countedAt: '2026-11-03T00:00:00.000Z' })), undefined);
  });
});
