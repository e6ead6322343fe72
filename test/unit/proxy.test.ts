import { strict as assert } from 'node:assert';
import { bypassesProxy, proxyFromEnv } from '../../src/core/proxy';

describe('NO_PROXY', () => {
  const cases: Array<[string, string, boolean]> = [
    ['https://acme.okta.com', '', false],
    ['https://acme.okta.com', '*', true],
    ['https://acme.okta.com', 'acme.okta.com', true],
    ['https://acme.okta.com', 'ACME.Okta.com', true],
    ['https://acme.okta.com', 'okta.com', true],
    ['https://acme.okta.com', '.okta.com', true],
    ['https://acme.okta.com', '*.okta.com', true],
    ['https://acme.okta.com', 'okta.com.', true],
    ['https://acme.okta.com', 'kta.com', false],
    ['https://acme.okta.com', 'other.okta.com', false],
    ['https://acme.okta.com', 'example.com,  okta.com', true],
    ['https://acme.okta.com', 'example.com example.org', false],
    ['https://acme.okta.com', 'acme.okta.com:443', true],
    ['https://acme.okta.com', 'acme.okta.com:8443', false],
    ['https://acme.okta.com:8443', 'acme.okta.com:8443', true],
    ['http://127.0.0.1:9000', '127.0.0.1', true],
    ['http://127.0.0.1:9000', '127.0.0.1:9000', true],
    ['http://127.0.0.1:9000', '127.0.0.1:9001', false],
    ['http://127.0.0.1:9000', '127.0.0.2', false],
    ['http://127.0.0.1:9000', '0.0.1', false],
    ['http://[::1]:9000', '::1', true],
    ['http://[::1]:9000', '[::1]:9000', true],
    ['http://[::1]:9000', '[::1]:9001', false],
    ['http://localhost:9000', 'localhost', true],
    ['https://acme.okta.com', ',,', false],
  ];
  for (const [url, noProxy, bypass] of cases) {
    it(`${bypass ? 'sends' : 'does not send'} ${url} straight out with NO_PROXY="${noProxy}"`, () => {
      assert.equal(bypassesProxy(new URL(url), noProxy), bypass);
    });
  }
});

describe('proxyFromEnv', () => {
  const org = new URL('https://acme.okta.com');

  it('is undefined without HTTPS_PROXY, whatever else is set', () => {
    assert.equal(proxyFromEnv({}), undefined);
    assert.equal(proxyFromEnv({ HTTPS_PROXY: '  ', NO_PROXY: '*', HTTP_PROXY: 'http://proxy:3128' }), undefined);
  });

  it('gives every request one proxy agent, unless NO_PROXY (or no_proxy) names the host', () => {
    const rule = proxyFromEnv({ HTTPS_PROXY: 'http://proxy.example.com:3128', NO_PROXY: 'example.com' })!;
    const agent = rule(org);
    assert.ok(agent && typeof (agent as { addRequest?: unknown }).addRequest === 'function', 'an http agent');
    assert.equal(rule(new URL('https://acme.okta.com/oauth2/v1/token')), agent, 'the same agent for the token request');
    assert.equal(rule(new URL('https://login.example.com')), undefined);
    assert.equal(proxyFromEnv({ https_proxy: 'proxy.example.com:3128', no_proxy: 'okta.com' })!(org), undefined);
  });

  it('prefers the lower-case variables, as the SDK and curl do', () => {
    const rule = proxyFromEnv({ https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2', no_proxy: 'acme.okta.com', NO_PROXY: '' })!;
    assert.equal(rule(org), undefined);
    const proxy = (proxyFromEnv({ https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' })!(org) as { proxy: { host: string } }).proxy;
    assert.equal(proxy.host, 'lower');
  });

  it('refuses a proxy it cannot use with a usage error that does not repeat the URL', () => {
    for (const bad of ['ftp://user:s3cret@proxy.example.com', 'http://', 'http://user:s3cret@[oops']) {
      assert.throws(
        () => proxyFromEnv({ HTTPS_PROXY: bad }),
        (e: Error) => e.name === 'InvalidInputError' && /^HTTPS_PROXY is not a proxy URL/.test(e.message) && !e.message.includes('s3cret'),
        bad,
      );
    }
  });
});
