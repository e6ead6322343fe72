/**
 * `HTTPS_PROXY` and `NO_PROXY` for the built `okta-mau`: every request of a count, the service app's
 * token request included, goes through the proxy, and none does when `NO_PROXY` names the org.
 * A tiny CONNECT proxy on loopback stands in for a corporate one and records the requests it carried
 * (the fake org is plain http, so the tunnelled request lines can be read).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { generateMonth, makeOAuthClient, startFakeOrg, type FakeOrg } from '../fake-org';
import { buildCli, cliEnv, lastCompleteMonth, runCli } from './cli-harness';

interface RecordingProxy {
  url: string;
  /** `CONNECT` targets, in order. */
  tunnels: string[];
  /** Request lines (`GET /api/v1/logs?…`) seen inside the tunnels. */
  requests: string[];
  /** Requests sent to the proxy as plain proxy requests (`GET http://…`), not tunnelled. */
  plain: string[];
  close(): Promise<void>;
}

async function startRecordingProxy(): Promise<RecordingProxy> {
  const sockets = new Set<Socket>();
  const proxy: Omit<RecordingProxy, 'url' | 'close'> = { tunnels: [], requests: [], plain: [] };
  const server: Server = createServer((req, res) => {
    proxy.plain.push(`${req.method} ${req.url}`);
    res.writeHead(502).end();
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    proxy.tunnels.push(req.url ?? '');
    sockets.add(client);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    sockets.add(upstream);
    let seen = '';
    client.on('data', (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      for (let m; (m = /^(GET|POST|PUT|DELETE|HEAD) (\S+) HTTP\/1\.1\r\n/m.exec(seen)); seen = seen.slice(m.index + m[0].length)) {
        proxy.requests.push(`${m[1]} ${m[2]}`);
      }
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    ...proxy,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('okta-mau behind a proxy (HTTPS_PROXY, NO_PROXY)', function () {
  this.timeout(60_000);
  const month = lastCompleteMonth();
  const { events, truth } = generateMonth({ month, seed: 23, users: 60, sessions: 400 });
  const app = makeOAuthClient({ format: 'jwk' });
  let org: FakeOrg;
  let proxy: RecordingProxy;

  before(async () => {
    buildCli();
    org = await startFakeOrg({ events, oauthClients: [{ clientId: app.clientId, publicKey: app.publicKey, scopes: ['okta.logs.read'] }] });
  });
  beforeEach(async () => (proxy = await startRecordingProxy()));
  afterEach(() => proxy.close());
  after(() => org?.close());

  const oauthEnv = (extra: Record<string, string>) => cliEnv({ OKTA_CLIENT_ID: app.clientId, OKTA_PRIVATE_KEY: app.privateKey, ...extra });
  const count = (env: Record<string, string>) => runCli(['count', '--org-url', org.url, '--month', month, '--format', 'json', '--no-cache'], env);

  it('sends the token request and every API request of a service app through HTTPS_PROXY', async () => {
    const seen = org.requests.length;
    const r = await count(oauthEnv({ HTTPS_PROXY: proxy.url }));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).mau, truth.mau);
    const atOrg = org.requests.slice(seen).map((q) => `${q.method} ${q.path}`);
    assert.ok(atOrg.includes('POST /oauth2/v1/token'), 'a token was requested');
    assert.ok(atOrg.some((q) => q === 'GET /api/v1/logs'), 'the System Log was read');
    // Every request the org answered came through the proxy, the token request first among them.
    assert.deepEqual(proxy.requests.map((q) => q.split('?')[0]).sort(), [...atOrg].sort());
    assert.equal(proxy.requests[0], 'POST /oauth2/v1/token');
    assert.ok(proxy.tunnels.every((t) => t === new URL(org.url).host), `tunnels to the org only: ${proxy.tunnels.join(', ')}`);
    assert.deepEqual(proxy.plain, []);
  });

  it('honours the lower-case https_proxy as well', async () => {
    const r = await count(oauthEnv({ https_proxy: proxy.url }));
    assert.equal(r.code, 0, r.stderr);
    assert.ok(proxy.requests.includes('POST /oauth2/v1/token'), proxy.requests.join('\n'));
    assert.ok(proxy.requests.some((q) => q.startsWith('GET /api/v1/logs?')));
  });

  for (const noProxy of ['127.0.0.1', 'localhost, 127.0.0.1', '*']) {
    it(`sends nothing through the proxy when NO_PROXY=${noProxy} names the org`, async () => {
      const seen = org.requests.length;
      const r = await count(oauthEnv({ HTTPS_PROXY: proxy.url, NO_PROXY: noProxy }));
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).mau, truth.mau);
      assert.ok(org.requests.slice(seen).some((q) => q.path === '/oauth2/v1/token'), 'a token was requested');
      assert.deepEqual(proxy.tunnels, []);
      assert.deepEqual(proxy.requests, []);
      assert.deepEqual(proxy.plain, []);
    });
  }

  it('matches NO_PROXY ports: the org\'s port goes straight, another port does not', async () => {
    const port = new URL(org.url).port;
    const straight = await count(oauthEnv({ HTTPS_PROXY: proxy.url, no_proxy: `example.com, 127.0.0.1:${port}` }));
    assert.equal(straight.code, 0, straight.stderr);
    assert.equal(proxy.requests.length, 0, proxy.requests.join('\n'));
    const proxied = await count(oauthEnv({ HTTPS_PROXY: proxy.url, no_proxy: `127.0.0.1:${Number(port) + 1}` }));
    assert.equal(proxied.code, 0, proxied.stderr);
    assert.ok(proxy.requests.includes('POST /oauth2/v1/token'));
  });

  it('sends an API token\'s requests through the proxy too, and refuses a proxy URL it cannot use', async () => {
    const r = await count(cliEnv({ OKTA_API_TOKEN: org.token, HTTPS_PROXY: proxy.url }));
    assert.equal(r.code, 0, r.stderr);
    assert.ok(proxy.requests.length > 0 && proxy.requests.every((q) => q.startsWith('GET /api/v1/logs?')), proxy.requests.join('\n'));
    const bad = await count(cliEnv({ OKTA_API_TOKEN: org.token, HTTPS_PROXY: 'ftp://user:secret@proxy.example.com' }));
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'okta-mau: HTTPS_PROXY is not a proxy URL: give it as http://proxy.example.com:3128\n');
  });
});
