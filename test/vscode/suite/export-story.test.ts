// Export Report… tells the same story as the Users tree: the CSV carries every detail the tree shows
// of a user (city and device included), opens in Excel with non-ASCII names intact (a UTF-8 byte
// order mark), keeps org data from acting as formulas, and a person picks the format before the
// save dialog instead of it being guessed from the typed file name.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import * as vscode from 'vscode';
import { generateMonth, startFakeOrg, type LogEvent } from '../../fake-org';
import type { OktaMauApi } from '../../../src/extension/api';
import { addOrg, countMonth, extensionApi, previousMonth, resetExtension, sleep } from './helpers';

type FakeOrg = Awaited<ReturnType<typeof startFakeOrg>>;

/** The header the CSV must have: the Users tree's details of a user, one per column. */
const COLUMNS = ['id', 'login', 'displayName', 'sessions', 'activeDays', 'firstSeen', 'lastSeen', 'lastIp', 'lastCountry', 'lastBrowser', 'lastOs', 'lastCity', 'lastDevice'];
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Every sign-in of `id` from the given name, city, country and device. */
function relabel(events: LogEvent[], id: string, who: { displayName: string; city: string; country: string; device: string }): LogEvent[] {
  return events.map((e) => {
    if (e.actor.id !== id || !e.client) return e;
    const geo = e.client.geographicalContext;
    return {
      ...e,
      actor: { ...e.actor, displayName: who.displayName },
      client: { ...e.client, device: who.device, geographicalContext: geo ? { ...geo, city: who.city, country: who.country } : geo },
    };
  });
}

async function readBytes(file: string): Promise<Buffer> {
  return Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.file(file)));
}

function csvRows(bytes: Buffer): Record<string, string>[] {
  return parse(bytes.subarray(BOM.length).toString('utf8'), { columns: true }) as Record<string, string>[];
}

describe('export story: format pick, byte order mark and the tree\'s columns', () => {
  let api: OktaMauApi;
  let org: FakeOrg;
  const month = previousMonth();
  const generated = generateMonth({ month, seed: 57, users: 30, sessions: 150 });
  const [accented, hostile] = Object.keys(generated.truth.users);
  const events = relabel(
    relabel(generated.events, accented!, { displayName: 'Zoë Łukasz 漢字 Müller', city: 'São Paulo', country: 'Brasil', device: 'Mobile' }),
    hostile!,
    { displayName: '=HYPERLINK("https://evil.example","Click")', city: '+1+cmd|calc', country: '-2', device: '@SUM(A1)' },
  );
  const dir = mkdtempSync(path.join(os.tmpdir(), 'okta-mau-export-story-'));

  before(async () => {
    api = await extensionApi();
    await resetExtension(api);
    org = await startFakeOrg({ events });
    assert.ok(await addOrg(org.url, { mode: 'SSWS', token: org.token }));
    assert.ok(await countMonth(month));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await resetExtension(api);
    await org?.close();
  });

  it('starts the CSV with a UTF-8 byte order mark and keeps non-ASCII names and cities as they are', async () => {
    const file = path.join(dir, 'accented.csv');
    await vscode.commands.executeCommand('oktaMau.exportReport', { month, uri: file });
    const bytes = await readBytes(file);
    assert.deepEqual([...bytes.subarray(0, 3)], [...BOM], 'no UTF-8 byte order mark: Excel would read the file in the system code page');
    const row = csvRows(bytes).find((r) => r.id === accented);
    assert.ok(row, `${accented} is not in the CSV`);
    assert.equal(row.displayName, 'Zoë Łukasz 漢字 Müller');
    assert.equal(row.lastCity, 'São Paulo');
    assert.equal(row.lastCountry, 'Brasil');
  });

  it('has the columns the Users tree shows of a user, city and device included, one row per active user', async () => {
    const file = path.join(dir, 'columns.csv');
    await vscode.commands.executeCommand('oktaMau.exportReport', { month, uri: vscode.Uri.file(file) });
    const bytes = await readBytes(file);
    const header = bytes.subarray(BOM.length).toString('utf8').split('\n')[0];
    assert.equal(header, COLUMNS.join(','));
    const rows = csvRows(bytes);
    assert.equal(rows.length, generated.truth.mau);
    const row = rows.find((r) => r.id === accented)!;
    assert.equal(row.lastDevice, 'Mobile');
    const truth = generated.truth.users[accented!]!;
    assert.deepEqual([row.login, Number(row.sessions), Number(row.activeDays), row.firstSeen, row.lastSeen], [truth.login, truth.sessions, truth.activeDays, truth.firstSeen, truth.lastSeen]);
    assert.match(row.lastIp!, /^\d+\.\d+\.\d+\.\d+$/);
    assert.ok(row.lastBrowser && row.lastOs, 'browser and OS are empty');
  });

  it('puts a quote before a name, city, country or device from the org that a spreadsheet would run as a formula', async () => {
    const file = path.join(dir, 'hostile.csv');
    await vscode.commands.executeCommand('oktaMau.exportReport', { month, uri: file });
    const row = csvRows(await readBytes(file)).find((r) => r.id === hostile);
    assert.ok(row, `${hostile} is not in the CSV`);
    assert.equal(row.displayName, `'=HYPERLINK("https://evil.example","Click")`);
    assert.equal(row.lastCity, "'+1+cmd|calc");
    assert.equal(row.lastCountry, "'-2");
    assert.equal(row.lastDevice, "'@SUM(A1)");
  });

  it('writes the format a script asks for, whatever the file is called', async () => {
    const json = path.join(dir, 'asked-for-json.txt');
    await vscode.commands.executeCommand('oktaMau.exportReport', { month, uri: json, format: 'json' });
    const doc = JSON.parse((await readBytes(json)).toString('utf8'));
    assert.equal(doc.mau, generated.truth.mau);
    const csv = path.join(dir, 'asked-for-csv.json');
    await vscode.commands.executeCommand('oktaMau.exportReport', { month, uri: csv, format: 'csv' });
    const bytes = await readBytes(csv);
    assert.deepEqual([...bytes.subarray(0, 3)], [...BOM]);
    assert.equal(csvRows(bytes).length, generated.truth.mau);
  });

  it('asks for the format first, then offers a file name with that format\'s extension', async () => {
    // No file and no format: a quick pick (CSV first), then the save dialog, which in code-server is
    // VS Code's simple file dialog holding the offered path. Accepting both keeps the defaults.
    let finished = false;
    const exported = Promise.resolve(vscode.commands.executeCommand<string | undefined>('oktaMau.exportReport', { month })).finally(() => (finished = true));
    const deadline = Date.now() + 45_000;
    while (!finished && Date.now() < deadline) {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await sleep(250);
    }
    assert.ok(finished, 'the export did not finish after accepting the format pick and the save dialog');
    const written = await exported;
    assert.ok(written, 'nothing was written');
    const target = vscode.Uri.parse(written);
    assert.equal(path.basename(target.fsPath), `okta-mau-${new URL(org.url).hostname}-${month}.csv`);
    const bytes = Buffer.from(await vscode.workspace.fs.readFile(target));
    assert.deepEqual([...bytes.subarray(0, 3)], [...BOM]);
    assert.equal(bytes.subarray(3).toString('utf8').split('\n')[0], COLUMNS.join(','));
    await vscode.workspace.fs.delete(target);
  });
});
