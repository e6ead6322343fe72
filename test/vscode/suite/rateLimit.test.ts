// A token that Okta lets use only half of the bucket its headers show: the first count learns the
// ceiling from at most one 429, and the extension keeps it for the org, so the next count takes none.
// Updating the credential forgets it (a new token has a share of its own).
import * as assert from 'node:assert/strict';
import { generateMonth, startFakeOrg } from '../../fake-org';
import type { OktaMauApi } from '../../../src/extension/api';
import { addOrg, collecting, countMonth, extensionApi, logText, previousMonth, resetExtension } from './helpers';

type FakeOrg = Awaited<ReturnType<typeof startFakeOrg>>;

/** Each one-second window's requests, as the fake org saw them (`*` marks a 429), for a failure to explain itself. */
function perWindow(org: FakeOrg): string {
  const windows = new Map<number, string[]>();
  for (const r of org.requests) {
    const w = Math.floor(r.at / 1000);
    windows.set(w, [...(windows.get(w) ?? []), `${r.at % 1000}${r.status === 429 ? '*' : ''}`]);
  }
  return [...windows.values()].map((w) => `[${w.join(' ')}]`).join(' ');
}

describe('rate limits as Okta enforces them', () => {
  let api: OktaMauApi;
  let org: FakeOrg;
  const month = previousMonth();
  // About 30 pages: several one-second windows of 8 requests for the token.
  const generated = generateMonth({ month, seed: 17, users: 300, sessions: 28_000 });

  before(async () => {
    api = await extensionApi();
    await resetExtension(api);
    org = await startFakeOrg({ events: generated.events, rateLimit: { limit: 16, windowMs: 1000, tokenShare: 0.5, headers: 'bucket' } });
    assert.ok(await addOrg(org.url, { mode: 'SSWS', token: org.token }));
  });

  after(async () => {
    await resetExtension(api);
    await org?.close();
  });

  it('takes at most one 429 in the first count, and none in the next, which starts at the remembered ceiling', async () => {
    const first = await collecting(api, () => countMonth(month));
    assert.deepEqual(first.errors, []);
    assert.equal(first.result?.mau, generated.truth.mau);
    const learnedWith = org.stats.tooManyRequests;
    assert.ok(learnedWith <= 1, `${learnedWith} × 429 in the first count`);
    assert.ok(org.stats.rateWindows.some((w) => w.endpoint === '/api/v1/logs' && w.requests >= 8), 'the token used its whole share in some window');

    const second = await collecting(api, () => countMonth(month));
    assert.deepEqual(second.errors, []);
    assert.equal(second.result?.mau, generated.truth.mau);
    const log = (await logText(api)).split('\n').filter((l) => /429|Staying under|window/.test(l)).join(' | ');
    assert.equal(org.stats.tooManyRequests, learnedWith, `the second count took no 429; per window: ${perWindow(org)}; log: ${log}`);
  });
});
