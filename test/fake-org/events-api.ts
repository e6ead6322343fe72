/**
 * The legacy `GET /api/v1/events`, derived from the same timeline: every System Log event that has
 * a legacy name appears in the old model. Sign-ins become `core.user_auth.login_success` or
 * `core.user_auth.login_failed` by outcome, as older orgs record them. As served by Okta, every page
 * links `next` (the API is a stream with a cursor), so past the last event come empty pages that link
 * on to the same place; `eventsLinking: 'untilEnd'` keeps the older shape that stops at the end.
 */
import { compileFilter, FilterError, type CompiledFilter } from './filter';
import { linkHeader, nextParams, parseLimit, type PageRequest } from './logs-api';
import { decodeCursor, oktaError, parseInstant, type Cursor, type Reply } from './replies';
import { indexAfter, lowerBound } from './store';
import type { LogEvent } from './types';

export interface LegacyEvent {
  eventId: string;
  sessionId: string | null;
  requestId: string | null;
  published: string;
  action: { message: string; categories: string[]; objectType: string; requestUri: string | null };
  actors: Record<string, unknown>[];
  targets: Record<string, unknown>[];
}

const TIME_FIELDS = new Set(['published']);

export function legacyObjectType(ev: LogEvent): string | null {
  if (ev.eventType === 'user.session.start') {
    return ev.outcome?.result === 'SUCCESS' ? 'core.user_auth.login_success' : 'core.user_auth.login_failed';
  }
  return ev.legacyEventType ?? null;
}

export function toLegacy(ev: LogEvent, objectType: string): LegacyEvent {
  const success = ev.outcome?.result === 'SUCCESS';
  const signIn = ev.eventType === 'user.session.start';
  const actor =
    ev.actor.type === 'User'
      ? { id: ev.actor.id, displayName: ev.actor.displayName, login: ev.actor.alternateId, objectType: 'User' }
      : { id: ev.actor.id, displayName: ev.actor.displayName, objectType: ev.actor.type };
  const actors: Record<string, unknown>[] = [actor];
  if (ev.client?.userAgent) {
    actors.push({ id: ev.client.userAgent.rawUserAgent, displayName: ev.client.userAgent.browser, ipAddress: ev.client.ipAddress, objectType: 'Client' });
  }
  return {
    eventId: `tev${ev.uuid.replace(/-/g, '').slice(0, 22)}${Date.parse(ev.published)}`,
    sessionId: ev.authenticationContext?.externalSessionId ?? null,
    requestId: ev.debugContext?.debugData?.requestId ?? ev.transaction?.id ?? null,
    published: ev.published,
    action: {
      message: signIn ? (success ? 'Sign-in successful' : `Sign-in Failed - ${ev.outcome?.reason ?? 'Unknown'}`) : ev.displayMessage ?? '',
      categories: signIn ? [success ? 'Sign-in Success' : 'Sign-in Failure'] : [],
      objectType,
      requestUri: ev.debugContext?.debugData?.requestUri ?? null,
    },
    actors,
    targets: (ev.target ?? []).map((t) => ({ id: t.id, displayName: t.displayName, login: t.alternateId, objectType: t.type })),
  };
}

export function eventsPage(req: PageRequest): Reply {
  const { store, params } = req;
  const limit = parseLimit(params, 1000);
  if (typeof limit !== 'number') return limit;
  const startText = params.get('startDate');
  const filterText = params.get('filter');
  const afterText = params.get('after');
  if (startText !== null && (filterText !== null || afterText !== null)) {
    return oktaError(400, 'E0000001', ['startDate: startDate cannot be combined with filter or after']);
  }
  const startDate = startText === null ? undefined : parseInstant(startText);
  if (startText !== null && startDate === undefined) return oktaError(400, 'E0000001', [`startDate: Invalid date: ${startText}`]);
  const after = afterText === null ? undefined : decodeCursor(afterText);
  if (afterText !== null && !after) return oktaError(400, 'E0000001', ['after: Invalid cursor']);
  let filter: CompiledFilter | undefined;
  if (filterText !== null && filterText.trim() !== '') {
    try {
      filter = compileFilter(filterText, { timeFields: TIME_FIELDS });
    } catch (err) {
      if (err instanceof FilterError) return oktaError(400, 'E0000031', [`filter: ${err.message}`]);
      throw err;
    }
  }

  // Narrow the scan with the filter's own published bounds; the filter still decides each event.
  const bounds = filter ? filter.bounds('published') : { min: startDate ?? -Infinity, max: Infinity };
  let from = after ? indexAfter(store, after.p, after.s) : Number.isFinite(bounds.min) ? lowerBound(store, bounds.min) : 0;
  if (after && Number.isFinite(bounds.min)) from = Math.max(from, lowerBound(store, bounds.min));
  const end = Number.isFinite(bounds.max) ? lowerBound(store, bounds.max) : store.size;

  const items: string[] = [];
  const keys: Cursor[] = [];
  let more = false;
  for (let i = from; i < end; i++) {
    const ev = store.event(i);
    const type = legacyObjectType(ev);
    if (!type) continue;
    const legacy = toLegacy(ev, type);
    if (filter && !filter.test(legacy)) continue;
    if (items.length === limit) {
      more = true;
      break;
    }
    items.push(JSON.stringify(legacy));
    keys.push({ p: store.publishedAt(i), s: store.seqAt(i) });
  }
  const links = [linkHeader(req.origin, req.path, params, 'self')];
  const fault = req.fault;
  const resume: Cursor = after ?? { p: Number.isFinite(bounds.min) ? bounds.min : -8.64e15, s: -1 };
  if (fault?.kind === 'emptyPage') {
    links.push(linkHeader(req.origin, req.path, nextParams(params, resume), 'next'));
    return { status: 200, body: '[]', headers: { link: links }, events: 0 };
  }
  if (more || fault?.kind === 'foreignNext' || req.eventsLinking !== 'untilEnd') {
    const origin = fault?.kind === 'foreignNext' ? fault.origin : req.origin;
    // An overlap fault backs the cursor up so the next page repeats this page's tail.
    const back = keys.length - 1 - (fault?.kind === 'overlap' ? fault.count : 0);
    links.push(linkHeader(origin, req.path, nextParams(params, back >= 0 ? keys[back] : resume), 'next'));
  }
  return { status: 200, body: `[${items.join(',')}]`, headers: { link: links }, events: items.length };
}
