import { strict as assert } from 'node:assert';
import { normalizeOrgUrl, adminConsoleOrigin } from '../../src/core/orgUrl';

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
  ];
  for (const [input, pattern] of bad) {
    it(`refuses "${input}" with a message saying what to fix`, () => {
      assert.throws(() => normalizeOrgUrl(input), (e: Error) => e.name === 'InvalidInputError' && pattern.test(e.message));
    });
  }
});

describe('adminConsoleOrigin', () => {
  it('adds -admin to the org host, and keeps loopback orgs as they are', () => {
    assert.equal(adminConsoleOrigin('https://acme.okta.com'), 'https://acme-admin.okta.com');
    assert.equal(adminConsoleOrigin('http://127.0.0.1:9000'), 'http://127.0.0.1:9000');
  });
});
