import { InvalidInputError } from './errors';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

/**
 * Turns what an admin pastes into the org's API origin: `https://acme.okta.com`.
 * - no scheme means https; plain http only for loopback hosts (the fake org, local proxies);
 * - the admin console host (`acme-admin.okta.com`) becomes the org host, because the API lives there;
 * - trailing slashes go; any other path, a query, a fragment or credentials are refused, since they
 *   usually mean a wrong copy-paste (an app URL, a console page) rather than the org.
 */
export function normalizeOrgUrl(input: string): string {
  const raw = (input ?? '').trim();
  if (!raw) throw new InvalidInputError('The Okta org URL is empty: give it as https://<your-org>.okta.com');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new InvalidInputError(`"${raw}" is not a URL: give the org URL as https://<your-org>.okta.com`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidInputError(`The org URL must use https (got ${url.protocol.replace(':', '')})`);
  }
  if (url.username || url.password) {
    throw new InvalidInputError('The org URL must not contain a user name or password');
  }
  if (url.search || url.hash) {
    throw new InvalidInputError('The org URL must not have a query or fragment: give just https://<your-org>.okta.com');
  }
  if (url.pathname.replace(/\/+$/, '') !== '') {
    throw new InvalidInputError(`The org URL must not have a path (got "${url.pathname}"): give just https://<your-org>.okta.com`);
  }
  // The host is checked as it will be used, after every rewrite: `-admin.okta.com` must not pass as
  // `.okta.com`, and `acme.okta.com.` (the same host, fully qualified) must not become a second org
  // with a cache of its own.
  const host = orgHost(url.hostname);
  if (!isValidHost(host)) throw new InvalidInputError(`"${url.hostname}" is not a valid host name for an Okta org`);
  url.hostname = host;
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new InvalidInputError(`The org URL must use https: plain http is allowed only for localhost (got ${url.host})`);
  }
  return url.origin;
}

/** The org's host for a host as pasted: without the root's trailing dot, and the admin console's `-admin` dropped. */
function orgHost(hostname: string): string {
  const labels = (hostname.endsWith('.') ? hostname.slice(0, -1) : hostname).split('.');
  if (labels.length > 2 && labels[0].endsWith('-admin')) labels[0] = labels[0].slice(0, -'-admin'.length);
  return labels.join('.');
}

/** A DNS name of letters, digits and inner hyphens (1–63 per label), or an IPv6 literal. */
function isValidHost(host: string): boolean {
  if (/^\[[0-9a-f:.]+\]$/i.test(host)) return true;
  return host.length <= 253 && host.split('.').every((label) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(label));
}

/** The admin console origin for an org (`acme.okta.com` → `acme-admin.okta.com`); loopback orgs are their own console. */
export function adminConsoleOrigin(orgUrl: string): string {
  const url = new URL(normalizeOrgUrl(orgUrl));
  if (isLoopbackHost(url.hostname)) return url.origin;
  const labels = url.hostname.split('.');
  if (labels.length > 2) labels[0] = `${labels[0]}-admin`;
  url.hostname = labels.join('.');
  return url.origin;
}
