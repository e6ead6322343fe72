/**
 * A server that is not a well-behaved Okta (a compromised host, a proxy, something at a mistyped URL):
 * its error answers reach the admin's terminal and log only as one bounded, escape-free line, its
 * bodies are read only so far, and a token it hands out that could not go into a header is refused.
 * A plain HTTP server on loopback stands in for it: the fake org only ever answers as Okta does.
 */
import { strict as assert } from 'node:assert';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkCredential, countMau, describeError } from '../../src/core';
import { makeOAuthClient } from '../fake-org';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

describe('hostile answers (real SDK over HTTP)', function () {
  this.timeout(30_000);
  let server: Server;
  let url: string;
  let handler: (req: IncomingMessage, res: ServerResponse) => void = () => {};
  before(async () => {
    server = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('shows an error answer full of terminal escapes and causes as one short, plain line', async () => {
    const evil = 'E1\r\u001b[2J\u001b]0;owned\u0007';
    handler = (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json', 'x-okta-request-id': `req${'Z'.repeat(1000)}` });
      res.end(
        JSON.stringify({
          errorCode: evil + 'X'.repeat(5000),
          errorSummary: `bad\u001b]8;;https://phish.example\u0007click\u001b]8;;\u0007\nsecond line\u202eevil`,
          errorCauses: Array.from({ length: 800 }, (_, i) => ({ errorSummary: `cause ${i}\r\n` })),
        }),
      );
    };
    const err = await countMau({ orgUrl: url, auth: { mode: 'SSWS', token: '00token' }, month: '2026-10', now: () => new Date('2026-11-22T12:00:00Z') }).catch((e: unknown) => e);
    const line = describeError(err);
    assert.ok(!CONTROL.test(line), `no control character in ${JSON.stringify(line)}`);
    assert.ok(!line.includes('\u202e'), 'no bidirectional override');
    assert.ok(!line.includes("XXXX"), `a code that is not a code is not repeated: ${line}`);
    assert.ok(line.length < 1200, `${line.length} characters`);
    assert.match(line, /^127\.0\.0\.1:\d+ refused the request \(HTTP 400: bad .*\) \(request id reqZ+…\)$/);
  });

  it('reads at most a bounded part of a huge error body and still fails at once with one line', async () => {
    let sent = 0;
    handler = (_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      // 64 MB, offered as fast as the client reads: it must stop reading long before the end.
      const pump = () => {
        while (sent < 64 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => {});
      pump();
    };
    await assert.rejects(checkCredential(url, { mode: 'SSWS', token: '00token' }), (e: Error) => {
      assert.equal(e.name, 'OktaAuthError');
      assert.match(e.message, /^The API token may not read the System Log at 127\.0\.0\.1:\d+ \(HTTP 403: "a+"\)/);
      return true;
    });
    assert.ok(sent < 16 * 1024 * 1024, `the client stopped reading (${sent} bytes offered)`);
  });

  it('names the API it was refused, not always the System Log', async () => {
    const paths: string[] = [];
    handler = (req, res) => {
      paths.push(new URL(req.url ?? '/', 'http://x').pathname);
      res.writeHead(403, { 'content-type': 'application/json', 'x-okta-request-id': 'reqEvents' });
      res.end(JSON.stringify({ errorCode: 'E0000006', errorSummary: 'You do not have permission to perform the requested action' }));
    };
    const err = await countMau({ orgUrl: url, auth: { mode: 'SSWS', token: '00token' }, source: 'events', month: '2026-10', now: () => new Date('2026-11-22T12:00:00Z') }).catch((e: unknown) => e);
    assert.match(describeError(err), /^The API token may not read the Events API at 127\.0\.0\.1:\d+ \(HTTP 403 E0000006: You do not have permission to perform the requested action\) \(request id reqEvents\)/);
    assert.deepEqual([...new Set(paths)], ['/api/v1/events']);
  });

  it('ends the wait for a token endpoint that never answers as soon as the count is cancelled', async () => {
    const app = makeOAuthClient();
    let tokenRequests = 0;
    handler = (req) => {
      if (req.url?.startsWith('/oauth2/v1/token')) tokenRequests++;
      // Never answers: the SDK's own token request carries no signal of its own.
    };
    const controller = new AbortController();
    const run = countMau({ orgUrl: url, auth: { mode: 'PrivateKey', clientId: app.clientId, privateKey: app.privateKey, keyId: app.keyId }, month: '2026-10', now: () => new Date('2026-11-22T12:00:00Z'), signal: controller.signal });
    while (tokenRequests === 0) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    const abortedAt = Date.now();
    await assert.rejects(run, { name: 'CancelledError' });
    // Without the race, the count would wait for the token request's 30 s deadline.
    assert.ok(Date.now() - abortedAt < 5000, `ended ${Date.now() - abortedAt} ms after the cancel`);
    assert.equal(tokenRequests, 1);
  });

  it('says what to check when an API refuses the DPoP proof (400 with a DPoP challenge and no body)', async () => {
    handler = (_req, res) => {
      // As Okta's APIs answer a refused proof (okta-sdk-nodejs#453): the detail is in the header only.
      res.writeHead(400, { 'www-authenticate': 'DPoP algs="RS256 ES256", error="invalid_dpop_proof", error_description="\'iat\' claim in the DPoP proof JWT is invalid."', 'x-okta-request-id': 'reqDpop1' });
      res.end();
    };
    await assert.rejects(checkCredential(url, { mode: 'SSWS', token: '00token' }), (e: Error) => {
      assert.equal(e.name, 'OktaAuthError');
      assert.match(e.message, /^127\.0\.0\.1:\d+ refused the DPoP proof \(HTTP 400: 'iat' claim in the DPoP proof JWT is invalid\.\) \(request id reqDpop1\): check this machine's clock; .*Require Demonstrating Proof of Possession/);
      return true;
    });
  });

  it('follows a query past one event dated beyond its end, and reports the sign-ins it could not read', async () => {
    const event = (uuid: string, published: unknown, actorId: unknown) => ({
      uuid,
      published,
      eventType: 'user.session.start',
      outcome: { result: 'SUCCESS' },
      actor: { id: actorId, type: 'User', alternateId: `${String(actorId)}@example.com`, displayName: 'Someone' },
    });
    handler = (req, res) => {
      const u = new URL(req.url ?? '/', url);
      const page = u.searchParams.has('after')
        ? [event('b', '2026-10-20T08:00:00.000Z', '00uB')]
        : [
            event('a', '2026-10-02T08:00:00.000Z', '00uA'),
            // Dated after the query's end: odd, and no reason to stop following the cursor.
            event('late', '2027-01-01T00:00:00.000Z', '00uLATE'),
            event('m1', '2026-10-03T08:00:00.000Z', null),
            event('m2', 'the third of October', '00uM2'),
          ];
      const next = u.searchParams.has('after') ? {} : { link: `<${url}/api/v1/logs?after=p2&until=${encodeURIComponent(u.searchParams.get('until') ?? '')}>; rel="next"` };
      res.writeHead(200, { 'content-type': 'application/json', ...next });
      res.end(JSON.stringify(page));
    };
    const lines: string[] = [];
    const report = await countMau({ orgUrl: url, auth: { mode: 'SSWS', token: '00token' }, month: '2026-10', now: () => new Date('2026-11-22T12:00:00Z'), log: (l) => lines.push(l) });
    assert.deepEqual(report.users.map((u) => u.id).sort(), ['00uA', '00uB']);
    assert.equal(report.skippedEvents, 2);
    assert.ok(lines.some((l) => /^Skipped 2 unreadable sign-in events/.test(l)), 'the log says so');
  });

  it('refuses a page body announced bigger than a page can be, without reading it', async () => {
    let bodies = 0;
    handler = (_req, res) => {
      bodies++;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(400 * 1024 * 1024) });
      res.write('[');
      // Never sends the rest: the client must not wait for 400 MB, nor buffer them.
    };
    const err = await countMau({ orgUrl: url, auth: { mode: 'SSWS', token: '00token' }, month: '2026-10', now: () => new Date('2026-11-22T12:00:00Z'), retry: { maxRetries: 1, baseDelayMs: 1 } }).catch((e: unknown) => e);
    assert.match(describeError(err), /body cut off \(.*419430400 bytes is more than a page can be\); gave up on .* after 2 attempts$/);
    assert.equal(bodies, 2);
  });

  it('refuses an access token that could not go into a header, without sending it anywhere', async () => {
    const app = makeOAuthClient();
    const seen: string[] = [];
    handler = (req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ token_type: 'Bearer', expires_in: 3600, access_token: 'abc\r\nX-Injected: 1' }));
    };
    await assert.rejects(checkCredential(url, { mode: 'PrivateKey', clientId: app.clientId, privateKey: app.privateKey, keyId: app.keyId }), /token endpoint answered without a usable access token/);
    assert.deepEqual(seen, ['POST /oauth2/v1/token'], 'no API request carried it');
  });
});
