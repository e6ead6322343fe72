/**
 * `GET /api/v1/logs`. Bounded queries (since + until) end with a page that has no `next` link;
 * polling queries (no until) always link onwards, even from an empty page, because new events may
 * still arrive. The next link repeats the query plus `after`, `since` included as in Okta's own links
 * (or without it, with `nextLinkSince: false`).
 */
import { compileFilter, FilterError, type CompiledFilter } from './filter';
import { decodeCursor, encodeCursor, oktaError, parseInstant, queryTimedOut, type Cursor, type Reply } from './replies';
import { indexAfter, indexBefore, lowerBound, type EventStore } from './store';
import type { LogEvent, SlowQueryOptions } from './types';

export const DEFAULT_SINCE_MS = 7 * 86_400_000;
const FORBIDDEN = new Set(['published']);

/** How a page fault bends the page the handler builds. */
export type PageFault = { kind: 'emptyPage' } | { kind: 'overlap'; count: number } | { kind: 'foreignNext'; origin: string };

export interface PageRequest {
  store: EventStore;
  /** The org's own origin, for links. */
  origin: string;
  path: string;
  params: URLSearchParams;
  now: number;
  fault?: PageFault;
  /** Logs: repeat `since` in next links (default true). */
  nextLinkSince?: boolean;
  /** Events: link `next` from every page (default) or only while more remain. */
  eventsLinking?: 'always' | 'untilEnd';
  /** Logs: time out over long ranges. */
  slowQuery?: SlowQueryOptions | null;
}

function searchText(ev: LogEvent): string {
  const parts = [ev.eventType, ev.displayMessage, ev.actor?.id, ev.actor?.alternateId, ev.actor?.displayName, ev.client?.ipAddress, ev.outcome?.result];
  for (const t of ev.target ?? []) parts.push(t.id, t.alternateId, t.displayName);
  return parts.filter((p) => p).join(' ').toLowerCase();
}

/** The event test for a query: filter and q together, on the cheapest view that answers both. */
function matcher(store: EventStore, filter: CompiledFilter | undefined, q: string[]): (i: number) => boolean {
  if (!filter && q.length === 0) return () => true;
  const lightOk = q.length === 0 && store.light && filter && [...filter.paths].every((p) => store.lightPaths?.has(p));
  return (i) => {
    const ev = lightOk ? store.light!(i) : store.event(i);
    if (filter && !filter.test(ev)) return false;
    if (q.length === 0) return true;
    const text = searchText(ev as LogEvent);
    return q.every((term) => text.includes(term));
  };
}

export function linkHeader(origin: string, path: string, params: URLSearchParams, rel: 'self' | 'next'): string {
  const qs = params.toString();
  return `<${origin}${path}${qs ? '?' + qs : ''}>; rel="${rel}"`;
}

export function nextParams(params: URLSearchParams, cursor: Cursor, keepSince = false): URLSearchParams {
  const next = new URLSearchParams();
  for (const [k, v] of params) if ((keepSince || k !== 'since') && k !== 'after' && k !== 'startDate') next.append(k, v);
  next.append('after', encodeCursor(cursor));
  return next;
}

export function parseLimit(params: URLSearchParams, fallback: number): number | Reply {
  const raw = params.get('limit');
  if (raw === null) return fallback;
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 0 && n <= 1000)) return oktaError(400, 'E0000001', ['limit: The limit must be a number between 0 and 1000']);
  return n;
}

export function logsPage(req: PageRequest): Reply {
  const { store, params } = req;
  const limit = parseLimit(params, 100);
  if (typeof limit !== 'number') return limit;

  const sinceText = params.get('since');
  const untilText = params.get('until');
  const afterText = params.get('after');
  const keepSince = req.nextLinkSince !== false;
  const since = sinceText === null ? undefined : parseInstant(sinceText);
  if (sinceText !== null && since === undefined) return oktaError(400, 'E0000001', [`since: Invalid date: ${sinceText}`]);
  const until = untilText === null ? undefined : parseInstant(untilText);
  if (untilText !== null && until === undefined) return oktaError(400, 'E0000001', [`until: Invalid date: ${untilText}`]);
  if (since !== undefined && until !== undefined && since > until) return oktaError(400, 'E0000001', ['since: The since parameter must be earlier than until']);
  const after = afterText === null ? undefined : decodeCursor(afterText);
  if (afterText !== null && !after) return oktaError(400, 'E0000001', ['after: Invalid cursor']);
  // Okta's next links carry `since` next to `after`, so that pair must work when it comes from a link.
  // A `since` the cursor was not issued under can only have been added by the client: refuse that.
  if (since !== undefined && after && (!keepSince || after.sn !== since)) {
    return oktaError(400, 'E0000001', ['since: The since and after parameters cannot be used together']);
  }
  const sortOrder = (params.get('sortOrder') ?? 'ASCENDING').toUpperCase();
  if (sortOrder !== 'ASCENDING' && sortOrder !== 'DESCENDING') return oktaError(400, 'E0000001', ['sortOrder: Must be ASCENDING or DESCENDING']);

  let filter: CompiledFilter | undefined;
  const filterText = params.get('filter');
  if (filterText !== null && filterText.trim() !== '') {
    try {
      filter = compileFilter(filterText, { forbidden: FORBIDDEN });
    } catch (err) {
      if (err instanceof FilterError) return oktaError(400, err.code, [`filter: ${err.message}`]);
      throw err;
    }
  }
  const q = (params.get('q') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const matches = matcher(store, filter, q);
  // Okta's default lower bound is seven days before the upper one.
  const descending = sortOrder === 'DESCENDING';
  const lowMs = since ?? (descending ? after?.lo : undefined) ?? (until ?? req.now) - DEFAULT_SINCE_MS;
  const bounded = until !== undefined || descending;

  // `after` sets the position and `since` stays a lower bound (a cursor from this query is never below it).
  const fromAfter = after && since !== undefined && !descending && after.p < since ? { p: since, s: -1 } : after;
  // Far-future stand-in for "no upper bound" that survives JSON (Infinity would not).
  const start: Cursor = fromAfter ?? (descending ? { p: until ?? 8.64e15, s: -1, lo: lowMs } : { p: lowMs, s: -1 });

  if (req.slowQuery) {
    // What is left to search: from the position to the upper bound (now, for a polling query).
    const top = Math.min(until ?? req.now, descending ? start.p : Infinity);
    const range = top - (descending ? lowMs : start.p);
    if (range > req.slowQuery.longerThanMs) return { ...queryTimedOut(), delayMs: req.slowQuery.timeoutMs ?? 30_000 };
  }
  const picked: number[] = [];
  let more = false;
  if (!descending) {
    const end = until === undefined ? store.size : lowerBound(store, until);
    for (let i = indexAfter(store, start.p, start.s); i < end; i++) {
      if (!matches(i)) continue;
      if (picked.length === limit) {
        more = true;
        break;
      }
      picked.push(i);
    }
  } else {
    const stop = lowerBound(store, lowMs);
    const from = indexBefore(store, start.p, start.s);
    for (let i = from; i >= stop; i--) {
      if (!matches(i)) continue;
      if (picked.length === limit) {
        more = true;
        break;
      }
      picked.push(i);
    }
  }

  const fault = req.fault;
  const sn = keepSince && since !== undefined ? { sn: since } : {};
  if (fault?.kind === 'emptyPage') {
    return page(req, [], { ...start, ...sn }, 'next');
  }
  const keyOf = (i: number): Cursor => ({ p: store.publishedAt(i), s: store.seqAt(i), ...(descending ? { lo: lowMs } : {}), ...sn });
  const last = picked.length ? keyOf(picked[picked.length - 1]) : start;
  let cursor: Cursor | undefined = !bounded || more ? { ...last, ...sn } : undefined;
  if (cursor && fault?.kind === 'overlap') {
    const back = picked.length - 1 - fault.count;
    cursor = back >= 0 ? keyOf(picked[back]) : { ...start, ...sn };
  }
  if (!cursor && fault?.kind === 'foreignNext') cursor = { ...last, ...sn };
  return page(req, picked, cursor, cursor ? 'next' : undefined);
}

function page(req: PageRequest, picked: number[], cursor: Cursor | undefined, rel: 'next' | undefined): Reply {
  const { store } = req;
  let body = '[';
  for (let k = 0; k < picked.length; k++) body += (k ? ',' : '') + store.json(picked[k]);
  body += ']';
  const links = [linkHeader(req.origin, req.path, req.params, 'self')];
  if (rel && cursor) {
    const origin = req.fault?.kind === 'foreignNext' ? req.fault.origin : req.origin;
    links.push(linkHeader(origin, req.path, nextParams(req.params, cursor, req.nextLinkSince !== false), 'next'));
  }
  return { status: 200, body, headers: { link: links }, events: picked.length };
}
