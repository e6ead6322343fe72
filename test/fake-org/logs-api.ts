/**
 * `GET /api/v1/logs`. Bounded queries (since + until) end with a page that has no `next` link;
 * polling queries (no until) always link onwards, even from an empty page, because new events may
 * still arrive. The next link repeats the query minus `since` (Okta refuses since + after) plus `after`.
 */
import { compileFilter, FilterError, type CompiledFilter } from './filter';
import { decodeCursor, encodeCursor, oktaError, parseInstant, type Cursor, type Reply } from './replies';
import { indexAfter, indexBefore, lowerBound, type EventStore } from './store';
import type { LogEvent } from './types';

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

export function nextParams(params: URLSearchParams, cursor: Cursor): URLSearchParams {
  const next = new URLSearchParams();
  for (const [k, v] of params) if (k !== 'since' && k !== 'after' && k !== 'startDate') next.append(k, v);
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
  if (sinceText !== null && afterText !== null) return oktaError(400, 'E0000001', ['since: The since and after parameters cannot be used together']);
  const since = sinceText === null ? undefined : parseInstant(sinceText);
  if (sinceText !== null && since === undefined) return oktaError(400, 'E0000001', [`since: Invalid date: ${sinceText}`]);
  const until = untilText === null ? undefined : parseInstant(untilText);
  if (untilText !== null && until === undefined) return oktaError(400, 'E0000001', [`until: Invalid date: ${untilText}`]);
  if (since !== undefined && until !== undefined && since > until) return oktaError(400, 'E0000001', ['since: The since parameter must be earlier than until']);
  const after = afterText === null ? undefined : decodeCursor(afterText);
  if (afterText !== null && !after) return oktaError(400, 'E0000001', ['after: Invalid cursor']);
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

  // Far-future stand-in for "no upper bound" that survives JSON (Infinity would not).
  const start: Cursor = after ?? (descending ? { p: until ?? 8.64e15, s: -1, lo: lowMs } : { p: lowMs, s: -1 });
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
  if (fault?.kind === 'emptyPage') {
    return page(req, [], start, 'next');
  }
  const keyOf = (i: number): Cursor => ({ p: store.publishedAt(i), s: store.seqAt(i), ...(descending ? { lo: lowMs } : {}) });
  const last = picked.length ? keyOf(picked[picked.length - 1]) : start;
  let cursor: Cursor | undefined = !bounded || more ? last : undefined;
  if (cursor && fault?.kind === 'overlap') {
    const back = picked.length - 1 - fault.count;
    cursor = back >= 0 ? keyOf(picked[back]) : start;
  }
  if (!cursor && fault?.kind === 'foreignNext') cursor = last;
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
    links.push(linkHeader(origin, req.path, nextParams(req.params, cursor), 'next'));
  }
  return { status: 200, body, headers: { link: links }, events: picked.length };
}
