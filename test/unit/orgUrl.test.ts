import { strict as assert } from 'node:assert';
import { normalizeOrgUrl, adminConsoleOrigin, isLoopbackHost } from '../../src/core/orgUrl';

describe('normalizeOrgUrl', () => {
  const ok: Array<[string, string]> = [
    ['https://acme.okta.com', 'https://acme.okta.com'],
    ['https://acme.okta.com/', 'https://acme.okta.com'],
    ['https://acme.okta.com///', 'https://acme.okta.com'],
    ['acme.okta.com', 'https://acme.okta.com'],
    ['  https://ACME.okta.com  ', 'https://acme.okta.com'],
    ['https://acme-admin.okta.com', 'https://acme.okta.com'],
    ['https://dev-123-admin.oktapreview.com/', 'https://dev-123.oktapreview.com'],
    ['https://login.example.com', 'https://login.example.com'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://localhost:3000/', 'http://localhost:3000'],
    // The fully qualified spelling is the same org, so the same cache and the same origin checks.
    ['https://acme.okta.com.', 'https://acme.okta.com'],
    ['acme.okta.com./', 'https://acme.okta.com'],
    ['https://acme-admin.okta.com.', 'https://acme.okta.com'],
    ['http://localhost.:3000', 'http://localhost:3000'],
  ];
  for (const [input, expected] of ok) {
    it(`normalises "${input}" to ${expected}`, () => assert.equal(normalizeOrgUrl(input), expected));
  }

  const bad: Array<[string, RegExp]> = [
    ['', /empty/],
    ['http://acme.okta.com', /must use https/],
    ['ftp://acme.okta.com', /must use https/],
    ['https://acme.okta.com/admin/dashboard', /must not have a path/],
    ['https://acme.okta.com/?x=1', /query/],
    ['https://user:pw@acme.okta.com', /user name or password/],
    ['https://{yourOktaDomain}', /not (a URL|a valid host)/],
    // Checked after the admin console's `-admin` is dropped, not before.
    ['https://-admin.okta.com', /not a valid host name/],
    ['-admin.okta.com', /not a valid host name/],
    ['https://acme.okta.com..', /not a valid host name/],
    ['https://.okta.com', /not (a URL|a valid host)/],
    ['https://-acme.okta.com', /not a valid host name/],
    ['https://acme-.okta.com', /not a valid host name/],
    ['http://acme.okta.com.', /must use https/],
  ];
  for (const [input, pattern] of bad) {
    it(`refuses "${input}" with a message saying what to fix`, () => {
      assert.throws(() => normalizeOrgUrl(input), (e: Error) => e.name === 'InvalidInputError' && pattern.test(e.message));
    });
  }
});

describe('normalizeOrgUrl, whatever it is given', () => {
  it('never returns a host with an empty label, a leading or trailing hyphen, or a trailing dot', () => {
    const hosts = ['-admin', 'a-admin', '--admin', 'admin', 'x', '-', 'acme', 'acme-', '-acme', ''];
    const tails = ['.okta.com', '.okta.com.', '.oktapreview.com', '.okta.com..'];
    for (const h of hosts) {
      for (const t of tails) {
        let origin: string;
        try {
          origin = normalizeOrgUrl(`https://${h}${t}`);
        } catch (e) {
          assert.equal((e as Error).name, 'InvalidInputError', `${h}${t}`);
          continue;
        }
        const host = new URL(origin).hostname;
        assert.ok(host.split('.').every((l) => /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(l)), `${h}${t} gave ${origin}`);
      }
    }
  });
});

describe('adminConsoleOrigin', () => {
  it('adds -admin to the org host, and keeps loopback orgs as they are', () => {
    assert.equal(adminConsoleOrigin('https://acme.okta.com'), 'https://acme-admin.okta.com');
    assert.equal(adminConsoleOrigin('http://127.0.0.1:9000'), 'http://127.0.0.1:9000');
  });
});

describe('isLoopbackHost', () => {
  it('accepts localhost, 127.x.y.z and [::1] only, as whole host names', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '[::1]']) assert.equal(isLoopbackHost(host), true, host);
    for (const host of ['localhost.okta.com', 'mylocalhost', '127.0.0.1.nip.io', '128.0.0.1', '0.0.0.0', '::1', 'acme.okta.com', '']) {
      assert.equal(isLoopbackHost(host), false, host);
    }
  });
});
