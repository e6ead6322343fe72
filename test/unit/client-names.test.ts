/**
 * Browsers and systems as people name them, from the values Okta's System Log puts in
 * `client.userAgent` (`browser`: CHROME, FIREFOX, SAFARI, MOBILE_SAFARI, EDGE_CHROMIUM, UNKNOWN…;
 * `os`: Windows 10, Mac OS X, iOS, Android, Linux…), including every value the fake org sends.
 */
import { strict as assert } from 'node:assert';
import { browserName, osName } from '../../src/core/clientNames';

describe('browserName', () => {
  it("names Okta's browser types as people do", () => {
    assert.equal(browserName('CHROME'), 'Chrome');
    assert.equal(browserName('FIREFOX'), 'Firefox');
    assert.equal(browserName('SAFARI'), 'Safari');
    assert.equal(browserName('EDGE'), 'Edge');
    assert.equal(browserName('OPERA'), 'Opera');
    assert.equal(browserName('CHROMIUM'), 'Chromium');
    assert.equal(browserName('IE11'), 'Internet Explorer 11');
  });

  it('calls Safari on a phone Safari and the Chromium-based Edge Edge', () => {
    assert.equal(browserName('MOBILE_SAFARI'), 'Safari');
    assert.equal(browserName('EDGE_CHROMIUM'), 'Edge');
  });

  it('ignores case, surrounding spaces and the separator between words', () => {
    assert.equal(browserName(' chrome '), 'Chrome');
    assert.equal(browserName('Mobile Safari'), 'Safari');
    assert.equal(browserName('edge-chromium'), 'Edge');
  });

  it('says nothing for UNKNOWN, empty or missing values', () => {
    assert.equal(browserName('UNKNOWN'), undefined);
    assert.equal(browserName('unknown'), undefined);
    assert.equal(browserName(''), undefined);
    assert.equal(browserName('   '), undefined);
    assert.equal(browserName(undefined), undefined);
    assert.equal(browserName(null), undefined);
  });

  it('passes a browser it does not know through as Okta sent it', () => {
    assert.equal(browserName('VIVALDI'), 'VIVALDI');
    assert.equal(browserName('Okta Verify'), 'Okta Verify');
  });
});

describe('osName', () => {
  it('calls every spelling of the Mac macOS, keeping a version', () => {
    assert.equal(osName('Mac OS X'), 'macOS');
    assert.equal(osName('Mac OS'), 'macOS');
    assert.equal(osName('OS X'), 'macOS');
    assert.equal(osName('MacOS'), 'macOS');
    assert.equal(osName('macOS'), 'macOS');
    assert.equal(osName('Mac OS X 10.15'), 'macOS 10.15');
  });

  it('keeps names that already read right, Windows versions included', () => {
    for (const name of ['Windows 10', 'Windows 11', 'Windows 7', 'iOS', 'Android', 'Linux', 'Windows']) assert.equal(osName(name), name);
  });

  it('fixes the case of the systems it knows', () => {
    assert.equal(osName('IOS'), 'iOS');
    assert.equal(osName('android'), 'Android');
    assert.equal(osName('Chrome OS'), 'ChromeOS');
    assert.equal(osName('CHROME_OS'), 'ChromeOS');
  });

  it('says nothing for Unknown, empty or missing values', () => {
    assert.equal(osName('Unknown'), undefined);
    assert.equal(osName('UNKNOWN'), undefined);
    assert.equal(osName(''), undefined);
    assert.equal(osName(undefined), undefined);
  });

  it('passes a system it does not know through as Okta sent it', () => {
    assert.equal(osName('Tizen'), 'Tizen');
    assert.equal(osName('Windows Phone 8.1'), 'Windows Phone 8.1');
  });
});

describe('the fake org\'s clients, named', () => {
  // test/fake-org/catalog.ts: what the fake org puts in client.userAgent.
  const sent: [string, string, string | undefined, string][] = [
    ['CHROME', 'Windows 10', 'Chrome', 'Windows 10'],
    ['CHROME', 'Mac OS X', 'Chrome', 'macOS'],
    ['SAFARI', 'Mac OS X', 'Safari', 'macOS'],
    ['FIREFOX', 'Windows 10', 'Firefox', 'Windows 10'],
    ['EDGE_CHROMIUM', 'Windows 10', 'Edge', 'Windows 10'],
    ['CHROME', 'Linux', 'Chrome', 'Linux'],
    ['MOBILE_SAFARI', 'iOS', 'Safari', 'iOS'],
    ['CHROME', 'Android', 'Chrome', 'Android'],
    ['UNKNOWN', 'iOS', undefined, 'iOS'],
  ];
  for (const [browser, os, expectedBrowser, expectedOs] of sent) {
    it(`shows ${browser} on ${os} as ${expectedBrowser ?? 'no browser'} on ${expectedOs}`, () => {
      assert.equal(browserName(browser), expectedBrowser);
      assert.equal(osName(os), expectedOs);
    });
  }
});

describe('a hostile system name', () => {
  it('is named in linear time, however long (no pattern backtracks on it)', () => {
    const hostile = `Mac OS X${' '.repeat(200_000)}\nx\ny`;
    const started = process.hrtime.bigint();
    assert.equal(osName(hostile), hostile.trim());
    assert.equal(osName(`Mac OS X${' '.repeat(50)}\nx`), 'macOS x');
    // A quadratic pattern took seconds on 32,000 spaces; this bound leaves room for a busy machine.
    assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 2000);
  });
});
