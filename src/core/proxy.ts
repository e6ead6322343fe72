/**
 * Which requests go through a proxy: `HTTPS_PROXY` and `NO_PROXY` as the command line honours them,
 * for every request `sdkGuards.ts` lets out, the token request included.
 */
import { isIP } from 'node:net';
import { InvalidInputError } from './errors';

/** The agent a request to `target` goes through (a proxy's), or undefined to go straight there. */
export type ProxyRule = (target: URL) => object | undefined;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The proxy rule of an environment, as the SDK reads it (`https_proxy`, else `HTTPS_PROXY`, for every
 * request, `http` loopback orgs included) plus `no_proxy`/`NO_PROXY`; undefined when no proxy is set.
 * The agent is the SDK's own `HttpsProxyAgent` (a CONNECT tunnel, for https and http targets alike).
 *
 * The command line relies on this rule. The extension relies on the extension host's proxy support
 * (`http.proxy`, `http.noProxy`, `http.proxySupport`, the system's settings), which patches Node's
 * `http`/`https` requests: with the default `override` (and `fallback`) it replaces the agent of every
 * request, this one included; with `on` it leaves a request that has an agent alone, and with `off`
 * it does nothing, so there this rule applies when the host's environment sets `HTTPS_PROXY`.
 */
export function proxyFromEnv(env: Env): ProxyRule | undefined {
  const given = (env.https_proxy || env.HTTPS_PROXY)?.trim();
  if (!given) return undefined;
  let proxy: URL | undefined;
  try {
    proxy = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(given) ? given : `http://${given}`);
  } catch {
    proxy = undefined;
  }
  // The value is not repeated: a proxy URL may carry a user name and password.
  if (!proxy || (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') || !proxy.hostname) {
    throw new InvalidInputError('HTTPS_PROXY is not a proxy URL: give it as http://proxy.example.com:3128');
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const createAgent = require('https-proxy-agent') as (proxy: string) => object;
  const agent = createAgent(proxy.href);
  const noProxy = env.no_proxy || env.NO_PROXY || '';
  return (target) => (bypassesProxy(target, noProxy) ? undefined : agent);
}

/**
 * Whether `NO_PROXY` sends `target` straight out: a comma (or space) separated list of `*` (every host),
 * host names that match themselves and their subdomains (`okta.com`, `.okta.com` and `*.okta.com` all
 * match `acme.okta.com`), IP addresses (no ranges), each with an optional `:port` that must then match too.
 */
export function bypassesProxy(target: URL, noProxy: string): boolean {
  const host = target.hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.toLowerCase().split(/[\s,]+/)) {
    if (!raw) continue;
    if (raw === '*') return true;
    const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(raw) ?? (raw.split(':').length === 2 ? /^([^:]+):(\d+)$/.exec(raw) : null);
    const name = (m ? m[1] : raw).replace(/^\*?\./, '').replace(/\.$/, '');
    if (m?.[2] !== undefined && m[2] !== port) continue;
    // Names match their subdomains; addresses only themselves (`0.0.1` is no suffix of `127.0.0.1`).
    if (name && (host === name || (!isIP(host) && host.endsWith(`.${name}`)))) return true;
  }
  return false;
}
