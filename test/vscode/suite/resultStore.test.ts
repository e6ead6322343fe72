// Saved counts on disk: private files, atomic writes that leave nothing behind when they fail, damaged
// files set aside (never deleted) while the other months keep showing, and two windows saving the
// same month, where the newer complete count wins whatever the order.
import * as assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateMonth, startFakeOrg } from '../../fake-org';
import type { OktaMauApi } from '../../../src/extension/api';
import type { MauReport } from '../../../src/core/types';
import { ResultStore } from '../../../src/extension/resultStore';
import { addOrg, countMonth, extensionApi, logText, previousMonth, resetExtension, sleep, waitFor } from './helpers';

type FakeOrg = Awaited<ReturnType<typeof startFakeOrg>>;

describe('saved counts on disk', () => {
  let api: OktaMauApi;
  let org: FakeOrg;
  let orgId: string;
  const past = previousMonth();
  const older = previousMonth(new Date(`${past}-15T00:00:00Z`));
  const events = [generateMonth({ month: past, seed: 97, users: 50, sessions: 250 }), generateMonth({ month: older, seed: 98, users: 40, sessions: 200 })].flatMap((g) => g.events);
  const orgDir = () => path.join(api.resultsUri.fsPath, orgId);
  const monthFile = (month: string) => path.join(orgDir(), `${month}.json`);
  const names = () => readdir(orgDir());
  const savedReport = async (month: string): Promise<MauReport> => ({ ...JSON.parse(await readFile(monthFile(month), 'utf8')).report, orgUrl: org.url });
  const treeMonths = async () => {
    const orgNode = (await api.treeChildren()).find((n) => n.orgId === orgId);
    return orgNode ? (await api.treeChildren(orgNode)).flatMap((n) => (n.kind === 'month' ? [n.month] : [])) : [];
  };
  const mode = async (p: string) => (await stat(p)).mode & 0o777;

  before(async () => {
    api = await extensionApi();
    await resetExtension(api);
    org = await startFakeOrg({ events });
    orgId = (await addOrg(org.url, { mode: 'SSWS', token: org.token }))!;
    for (const month of [older, past]) assert.ok(await countMonth(month, orgId), `counting ${month} failed`);
  });

  after(async () => {
    await resetExtension(api);
    await org?.close();
  });

  it('writes month files readable by their owner only (0600) in 0700 folders', async () => {
    assert.equal(api.resultsUri.scheme, 'file');
    assert.equal((await mode(monthFile(past))).toString(8), '600');
    assert.equal((await mode(orgDir())).toString(8), '700');
    assert.equal((await mode(api.resultsUri.fsPath)).toString(8), '700');
  });

  it('a save that cannot replace the file fails, leaves no temp file and deletes nothing', async () => {
    // A folder where the month's file should be: the rename over it fails.
    const blocked = path.join(orgDir(), '2001-01.json');
    await mkdir(blocked, { recursive: true });
    await writeFile(path.join(blocked, 'keep.txt'), 'not the store’s');
    const store = new ResultStore(api.resultsUri);
    try {
      await assert.rejects(store.save(orgId, { ...(await savedReport(past)), month: '2001-01' }));
      assert.equal(await readFile(path.join(blocked, 'keep.txt'), 'utf8'), 'not the store’s');
      assert.deepEqual((await names()).filter((n) => n.endsWith('.tmp')), []);
    } finally {
      store.dispose();
      await rm(blocked, { recursive: true, force: true });
    }
  });

  it('sets a truncated month file aside with one warning, keeps showing the other months, and a new count leaves it aside', async () => {
    const whole = await readFile(monthFile(past));
    const truncated = whole.subarray(0, whole.length >> 1);
    await writeFile(monthFile(past), truncated);
    api.reloadResults();
    assert.deepEqual(await treeMonths(), [older]);
    const aside = (await names()).filter((n) => n.startsWith(`${past}.json.damaged-`));
    assert.equal(aside.length, 1, `not set aside: ${(await names()).join(', ')}`);
    assert.ok(!(await names()).includes(`${past}.json`));
    assert.deepEqual(await readFile(path.join(orgDir(), aside[0]!)), truncated, 'the damaged file was not kept as it was');
    const warning = `set aside the damaged saved count ${orgId}/${past}.json`;
    await waitFor('the warning in the log', async () => (await logText(api)).includes(warning) || undefined);
    assert.ok(await api.dashboard.model(orgId));
    await sleep(500);
    assert.equal((await logText(api)).split('\n').filter((l) => l.includes(warning)).length, 1, 'not exactly one warning');

    assert.ok(await countMonth(past, orgId));
    assert.deepEqual(await treeMonths(), [past, older]);
    assert.deepEqual(await readFile(path.join(orgDir(), aside[0]!)), truncated, 'the next count replaced the damaged copy');
  });

  it('keeps the other months, and the dashboard, when one month file is malformed', async () => {
    assert.ok(await countMonth(past, orgId));
    const report = JSON.parse(await readFile(monthFile(past), 'utf8')).report;
    await writeFile(monthFile(past), JSON.stringify({ formatVersion: 1, report: { ...report, users: null } }));
    api.reloadResults();
    const model = await api.dashboard.model(orgId);
    assert.ok(model);
    assert.deepEqual(model.months.map((m) => m.month), [older]);
    assert.equal(model.selected?.month, older);
    assert.deepEqual(await treeMonths(), [older]);
    assert.ok((await names()).some((n) => n.startsWith(`${past}.json.damaged-`)));
  });

  it('never replaces a newer count saved by another window with an older one, nor a complete count with a partial one', async () => {
    assert.ok(await countMonth(past, orgId));
    const base = await savedReport(past);
    const at = (minutes: number) => new Date(Date.parse(base.countedAt) + minutes * 60_000).toISOString();
    const windowA = new ResultStore(api.resultsUri);
    const windowB = new ResultStore(api.resultsUri);
    const onDisk = async () => JSON.parse(await readFile(monthFile(past), 'utf8')).report as MauReport;
    try {
      // Window A started counting first; window B recounted and saved first; A's older count arrives last.
      const first = await windowB.save(orgId, { ...base, countedAt: at(2) });
      const late = await windowA.save(orgId, { ...base, countedAt: at(1) });
      assert.equal((await onDisk()).countedAt, at(2), 'the older count replaced the newer one');
      assert.deepEqual([first?.saved, late?.saved], [true, false]);
      assert.equal((await windowA.load(orgId, past))?.countedAt, at(2), 'window A does not show the newer count');

      const partial = await windowA.save(orgId, { ...base, complete: false, partialReason: 'events before the retention are gone', countedAt: at(3) });
      assert.equal((await onDisk()).complete, true, 'a partial count replaced a complete one');
      assert.equal(partial?.saved, false);

      assert.deepEqual(await windowA.save(orgId, { ...base, countedAt: at(4) }), { saved: true });
      assert.equal((await onDisk()).countedAt, at(4));
      assert.deepEqual((await names()).filter((n) => n.endsWith('.tmp')), []);
    } finally {
      windowA.dispose();
      windowB.dispose();
      api.reloadResults();
    }
  });
});
