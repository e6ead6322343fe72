/**
 * Browsers and operating systems as people name them. Okta's System Log describes a sign-in's client
 * in `client.userAgent`: `browser` is a type such as `CHROME`, `FIREFOX`, `SAFARI`, `MOBILE_SAFARI`,
 * `EDGE_CHROMIUM` or `UNKNOWN` (Okta's docs give "CHROME, FIREFOX" as examples), and `os` a name such
 * as `Windows 10`, `Mac OS X`, `iOS`, `Android` or `Linux` ("Windows 10" in Okta's docs). Both are
 * derived by Okta from the raw user agent. Values not listed here pass through as Okta sent them:
 * a new name is better shown as is than guessed at. Okta's "unknown" and an empty value mean
 * nothing is known, so they come back undefined and the caller shows nothing.
 */

/** Okta's browser types (case and separators ignored) and their names. */
const BROWSERS: Record<string, string> = {
  CHROME: 'Chrome',
  CHROMIUM: 'Chromium',
  FIREFOX: 'Firefox',
  SAFARI: 'Safari',
  // Safari on an iPhone or iPad; the device ("Mobile") is a field of its own.
  MOBILE_SAFARI: 'Safari',
  EDGE: 'Edge',
  EDGE_CHROMIUM: 'Edge',
  IE: 'Internet Explorer',
  IE11: 'Internet Explorer 11',
  OPERA: 'Opera',
};

/** Operating systems whose usual spelling differs from what may arrive (matched ignoring case). */
const SYSTEMS: Record<string, string> = {
  ios: 'iOS',
  ipados: 'iPadOS',
  android: 'Android',
  linux: 'Linux',
  windows: 'Windows',
  'chrome os': 'ChromeOS',
  chromeos: 'ChromeOS',
  chrome_os: 'ChromeOS',
};

/** `Mac OS X`, `Mac OS X 10.15`, `OS X`, `Mac OS`, `MacOS`: Apple has called it macOS since 2016. */
const MAC = /^(?:mac\s*os(?:\s*x)?|os\s*x)(?:\s+(\S[\s\S]*))?$/i;
/** Longer than any system's name: org data past it is shown as it is, never matched (no pattern runs long on it). */
const MAX_NAME = 100;

/** `Chrome` for Okta's `CHROME`; undefined for `UNKNOWN` or nothing; anything else as given. */
export function browserName(raw: string | undefined | null): string | undefined {
  const value = known(raw);
  if (value === undefined) return undefined;
  return BROWSERS[value.toUpperCase().replace(/[\s-]+/g, '_')] ?? value;
}

/** `macOS` for Okta's `Mac OS X`; `Windows 10`, `iOS`, `Android` as they are; undefined for `Unknown` or nothing. */
export function osName(raw: string | undefined | null): string | undefined {
  const value = known(raw);
  if (value === undefined) return undefined;
  if (value.length > MAX_NAME) return value;
  const mac = MAC.exec(value);
  if (mac) return mac[1] ? `macOS ${mac[1]}` : 'macOS';
  return SYSTEMS[value.toLowerCase().replace(/\s+/g, ' ')] ?? value;
}

/** The trimmed value, or undefined when it says nothing (empty, or Okta's "unknown"). */
function known(raw: string | undefined | null): string | undefined {
  const value = typeof raw === 'string' ? raw.trim() : '';
  return value === '' || value.toUpperCase() === 'UNKNOWN' ? undefined : value;
}
