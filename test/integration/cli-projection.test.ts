/**
 * `okta-mau count` of a month still running says where it will end, from the earlier months the
 * cache holds of the org, and says so when it has too few. `OKTA_MAU_NOW` pins "now" mid-month.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMonth, startFakeOrg, type FakeOrg } from '../fake-org';
import { buildCli, cliEnv, runCli } from './cli-harness';

describe('okta-mau count: where a running month will end', function () {
  this.timeout(120_000);
  const months = ['2026-03', '2026-04', '2026-05'];
  const generated = months.map((month, i) => generateMonth({ month, seed: 70 + i, users: 300, sessions: 2400 }));
  const now = '2026-05-16T12:00:00Z';
  let org: FakeOrg;
  let cache: string;

  before(async () => {
    buildCli();
    cache = mkdtempSync(join(tmpdir(), 'okta-mau-proj-'));
    org = await startFakeOrg({ events: generated.flatMap((g) => g.events).filter((e) => Date.parse(e.published) < Date.parse(now)) });
  });
  after(async () => {
    await org?.close();
    rmSync(cache, { recursive: true, force: true });
  });

  const count = (month: string, ...more: string[]) =>
    runCli(['count', '--org-url', org.url, '--month', month, '--cache-dir', cache, ...more], cliEnv({ OKTA_API_TOKEN: org.token, OKTA_MAU_NOW: now }));

  it('says it needs earlier months before there are two, then projects from them, never below the count so far', async () => {
    const first = await count('2026-05');
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^Status: {4}so far: the month is still running, counted to 2026-05-16 12:00 UTC$/m);
    assert.match(first.stdout, /^Projected: none yet \(.*2 earlier months.*\)$/m);
    for (const m of months.slice(0, 2)) assert.equal((await count(m)).code, 0);
    const again = await count('2026-05');
    assert.equal(again.code, 0, again.stderr);
    const line = /^Projected: about ([\d,]+) by 2026-05-31 \(([\d,]+)–([\d,]+)\), from 2 earlier months/m.exec(again.stdout);
    assert.ok(line, again.stdout);
    const [estimate, low, high] = line.slice(1).map((v) => Number(v.replace(/,/g, '')));
    const soFar = Number(/^MAU: +([\d,]+)$/m.exec(again.stdout)![1].replace(/,/g, ''));
    assert.ok(low >= soFar && low <= estimate && estimate <= high, `${soFar} ≤ ${low} ≤ ${estimate} ≤ ${high}`);
    // The generated month's whole MAU, which the org has not served yet, lies in the range (seeded: the same every run).
    const final = generated[2]!.truth.mau;
    assert.ok(low <= final && final <= high, `the month ended at ${final}, outside ${low}–${high}`);

    // The JSON says the same, for scripts; an ended month has no projection.
    const json = await count('2026-05', '--format', 'json', '--since-last');
    assert.equal(json.code, 0, json.stderr);
    const doc = JSON.parse(json.stdout) as { mau: number; projection?: { estimate: number; low: number; high: number; by: string; basedOn: string[]; method: string } };
    assert.deepEqual(
      { ...doc.projection, byDay: undefined },
      { estimate, low, high, by: '2026-05-31', byDay: undefined, basedOn: ['2026-03', '2026-04'], method: 'share-by-elapsed-fraction' },
    );
    const ended = JSON.parse((await count('2026-04', '--format', 'json')).stdout) as { projection?: unknown };
    assert.equal(ended.projection, undefined);
  });

  it('says in the JSON why there is no projection yet', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'okta-mau-proj-'));
    try {
      const r = await runCli(['count', '--org-url', org.url, '--month', '2026-05', '--cache-dir', fresh, '--format', 'json'], cliEnv({ OKTA_API_TOKEN: org.token, OKTA_MAU_NOW: now }));
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout) as { projection?: { none?: string } };
      assert.match(doc.projection?.none ?? '', /2 earlier months/);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('says with --no-cache that the earlier months it would project from are not read', async () => {
    const r = await runCli(['count', '--org-url', org.url, '--month', '2026-05', '--no-cache', '--format', 'json'], cliEnv({ OKTA_API_TOKEN: org.token, OKTA_MAU_NOW: now }));
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { projection?: { none?: string } };
    assert.match(doc.projection?.none ?? '', /--no-cache/);
  });
});
