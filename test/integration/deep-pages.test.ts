/**
 * A System Log page whose events hold values nested thousands of levels deep (a few kilobytes of
 * brackets in `debugContext`, which any app can fill) is valid JSON: the count reads it once, counts
 * its sign-ins, and neither fails with a stack overflow nor asks for the same page again.
 * A plain HTTP server on loopback serves the page: the fake org writes its pages with JSON.stringify,
 * which cannot write such a value.
 */
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { countMau } from '../../src/core';

describe('pages with deeply nested values (real SDK over HTTP)', function () {
  this.timeout(30_000);
  let server: Server;
  let url: string;
  let page = '[]';
  const paths: string[] = [];

  before(async () => {
    server = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(page);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const signIn = (uuid: string, user: string, debugData: string) =>
    `{"uuid":"${uuid}","published":"2026-10-0${uuid.length}T08:00:00.000Z","eventType":"user.session.start","outcome":{"result":"SUCCESS"},` +
    `"debugContext":{"debugData":${debugData}},"actor":{"id":"${user}","type":"User","alternateId":"${user}@example.com","displayName":"${user}"}}`;

  for (const levels of [8_000, 100_000]) {
    it(`counts the sign-ins of a page with a value ${levels.toLocaleString('en-US')} levels deep, from one request`, async () => {
      const arrays = '['.repeat(levels) + ']'.repeat(levels);
      const objects = '{"a":'.repeat(levels) + 'null' + '}'.repeat(levels);
      page = `[${signIn('e1', '00uA', arrays)},${signIn('e22', '00uB', objects)},${signIn('e333', '00uA', '{}')}]`;
      paths.length = 0;
      const report = await countMau({
        orgUrl: url,
        auth: { mode: 'SSWS', token: '00token' },
        month: '2026-10',
        now: () => new Date('2026-11-22T12:00:00Z'),
        retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1 },
      });
      assert.deepEqual(report.users.map((u) => [u.id, u.sessions]), [['00uA', 2], ['00uB', 1]]);
      assert.equal(report.events, 3);
      assert.equal(paths.length, 1, `one request, not a retry of a page read as invalid: ${paths.join(', ')}`);
    });
  }
});
