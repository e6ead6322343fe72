// Export Report… writes the saved count as CSV or JSON, through the core's formats, and says how
// many users it wrote ("Exported 1 user to …" for one).
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { mkdtempSync } from 'node:fs';
import * as vscode from 'vscode';
import { generateMonth, startFakeOrg } from '../../fake-org';
import type { OktaMauApi } from '../../../src/extension/api';
import { addOrg, collecting, countMonth, extensionApi, previousMonth, readText, resetExtension, withCountedOrg } from './helpers';

type FakeOrg = Awaited<ReturnType<typeof startFakeOrg>>;

describe('Export Report…', () => {
  let api: OktaMauApi;
  let org: FakeOrg;
  const month = previousMonth();
  const generated = generateMonth({ month, seed: 31, users: 40, sessions: 160 });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'okta-mau-export-'));

  before(async () => {
    api = await extensionApi();
    await resetExtension(api);
    org = await startFakeOrg({ events: generated.events });
    assert.ok(await addOrg(org.url, { mode: 'SSWS', token: org.token }));
    assert.ok(await countMonth(month));
  });

  after(async () => {
    await resetExtension(api);
    await org?.close();
  });

  it('writes a JSON report with the org, the month, the MAU and every active user', async () => {
    const file = path.join(dir, 'report.json');
    await vscode.commands.executeCommand('oktaMau.exportReport', { month, uri: file });
    const doc = JSON.parse(await readText(vscode.Uri.file(file)));
    assert.equal(doc.orgUrl, org.url);
    assert.equal(doc.month, month);
    assert.equal(doc.mau, generated.truth.mau);
    assert.deepEqual(
      doc.users.map((u: { id: string; sessions: number }) => [u.id, u.sessions]).sort(),
      Object.entries(generated.truth.users).map(([id, u]) => [id, u.sessions]).sort(),
    );
  });

  it('writes a CSV report with a header and one row per active user, and says how many', async () => {
    const file = path.join(dir, 'report.csv');
    const infos: string[] = [];
    const sub = api.onDidShowInfo((m) => infos.push(m));
    try {
      await vscode.commands.executeCommand('oktaMau.exportReport', { month, uri: vscode.Uri.file(file) });
    } finally {
      sub.dispose();
    }
    assert.deepEqual(infos, [`Exported ${generated.truth.mau} users to ${file}.`]);
    const lines = (await readText(vscode.Uri.file(file))).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    const header = lines[0]!.split(',');
    assert.deepEqual(header.slice(0, 4), ['id', 'login', 'displayName', 'sessions']);
    assert.equal(lines.length - 1, generated.truth.mau);
    const logins = new Set(lines.slice(1).map((l) => l.split(',')[1]));
    for (const u of Object.values(generated.truth.users)) assert.ok(logins.has(u.login), `${u.login} is missing`);
  });

  it('says there is nothing to export for a month that was not counted, and writes no file', async () => {
    const file = path.join(dir, 'nothing.csv');
    const { result, errors } = await collecting(api, () => vscode.commands.executeCommand('oktaMau.exportReport', { month: '2001-01', uri: file }));
    assert.equal(result, undefined);
    assert.deepEqual(errors, []);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(vscode.Uri.file(file))));
  });
});

describe('Export Report… of a month with one active user', () => {
  const month = previousMonth();
  const generated = generateMonth({ month, seed: 32, users: 12, sessions: 60 });
  // Only the sign-ins of one user: the month's MAU is 1.
  const [only] = Object.keys(generated.truth.users);
  const events = generated.events.filter((e) => e.actor.id === only);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'okta-mau-export-one-'));
  const fixture = withCountedOrg(month, events);

  it('says "Exported 1 user", not "1 users"', async () => {
    const { api } = fixture;
    assert.equal(fixture.counted.mau, 1);
    for (const name of ['one.csv', 'one.json']) {
      const file = path.join(dir, name);
      const infos: string[] = [];
      const sub = api.onDidShowInfo((m) => infos.push(m));
      try {
        await vscode.commands.executeCommand('oktaMau.exportReport', { month, uri: file });
      } finally {
        sub.dispose();
      }
      assert.deepEqual(infos, [`Exported 1 user to ${file}.`]);
    }
    const lines = (await readText(vscode.Uri.file(path.join(dir, 'one.csv')))).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    assert.equal(lines.length, 2, 'the CSV holds the header and one user');
  });
});
