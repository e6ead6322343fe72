import assert from 'node:assert/strict';
import { progressLine, ttyProgress } from '../../src/cli/progress';

describe('okta-mau progress line', () => {
  const p = { pages: 12, requests: 13, events: 11800, users: 3412, covered: 0.4678, rateLimitWaitMs: 0 };

  it('reads as pages, events, users and share of the month', () => {
    assert.equal(progressLine(p, '2026-01'), 'page 12 · 11,800 events · 3,412 users · 46% of 2026-01');
  });

  it('mentions a rate-limit wait in whole seconds', () => {
    assert.equal(progressLine({ ...p, rateLimitWaitMs: 11200 }, '2026-01'), 'page 12 · 11,800 events · 3,412 users · 46% of 2026-01 · waiting 12 s for rate limit');
  });

  it('rewrites one line, at most every interval, and erases it when done', () => {
    const writes: string[] = [];
    let t = 0;
    const bar = ttyProgress({ write: (s) => (writes.push(s), true), columns: 30 }, '2026-01', 100, () => t);
    bar.update(p);
    t = 50;
    bar.update({ ...p, pages: 13 });
    t = 150;
    bar.update({ ...p, pages: 14 });
    bar.done();
    assert.deepEqual(writes, ['\r\x1b[2Kpage 12 · 11,800 events · 3,4', '\r\x1b[2Kpage 14 · 11,800 events · 3,4', '\r\x1b[2K']);
  });

  it('assumes 80 columns when the terminal reports none', () => {
    const writes: string[] = [];
    ttyProgress({ write: (s) => (writes.push(s), true), columns: 0 }, '2026-01').update(p);
    assert.equal(writes[0], `\r\x1b[2K${progressLine(p, '2026-01')}`);
  });
});
