/**
 * A few lines of real HTTP (global fetch) for the fake org's own tests: not a mock of anything,
 * just the least code that reads a page, its headers and its `next` link.
 */

export interface Page {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body, or undefined when it is not JSON. */
  json: unknown;
  next?: string;
  self?: string;
}

export function linkOf(headers: Headers, rel: string): string | undefined {
  const link = headers.get('link') ?? '';
  for (const part of link.split(/,\s*(?=<)/)) {
    const m = /^<([^>]*)>;\s*rel="([^"]+)"/.exec(part.trim());
    if (m && m[2] === rel) return m[1];
  }
  return undefined;
}

export async function getPage(url: string, authorization?: string): Promise<Page> {
  const res = await fetch(url, { headers: authorization ? { authorization } : {} });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json, next: linkOf(res.headers, 'next'), self: linkOf(res.headers, 'self') };
}

/** Builds `${base}${path}?k=v…` from plain values. */
export function urlWith(base: string, path: string, params: Record<string, string | number | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.append(k, String(v));
  const qs = q.toString();
  return `${base}${path}${qs ? `?${qs}` : ''}`;
}

/** Follows `next` links until none is left (or `maxPages`), collecting every item. */
export async function getAll<T = Record<string, unknown>>(first: string, authorization: string, maxPages = 10_000): Promise<{ items: T[]; pages: Page[] }> {
  const items: T[] = [];
  const pages: Page[] = [];
  let url: string | undefined = first;
  while (url && pages.length < maxPages) {
    const page = await getPage(url, authorization);
    if (page.status !== 200) throw new Error(`HTTP ${page.status} from ${url}: ${page.text.slice(0, 200)}`);
    pages.push(page);
    items.push(...(page.json as T[]));
    url = page.next;
  }
  return { items, pages };
}
