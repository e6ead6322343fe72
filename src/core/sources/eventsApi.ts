/**
 * The legacy Events API (`GET /api/v1/events`), for orgs that still have only it: successful
 * sign-ins (`core.user_auth.login_success`), whatever event types a count is set to.
 * https://developer.okta.com/docs/reference/api/events/
 */
import type { OktaApi } from '../pageFetcher';
import { endsWithoutNext, MALFORMED, str, type EventSource, type SourceDefinition } from './source';

/** Okta documents no OAuth scope of its own for this API; a service app's System Log scope is asked for. */
export const EVENTS_API: OktaApi = { path: '/api/v1/events', name: 'the Events API', scope: 'okta.logs.read' };

export const eventsApi: SourceDefinition = {
  kind: 'events',
  label: 'Events API',
  summary: 'legacy Events API',
  api: EVENTS_API,
  takesEventTypes: false,
  create: () => legacyEventsSource,
};

const legacyEventsSource: EventSource = {
  kind: 'events',
  api: EVENTS_API,
  // The live Events API links `next` from every page, the last one included: an empty page means caught up.
  isLastPage: (page) => page.events === 0 || endsWithoutNext(page),
  fields: {
    eventId: true,
    published: true,
    action: { objectType: true },
    actors: { id: true, objectType: true, login: true, displayName: true, ipAddress: true },
  },
  firstPageUrl(origin, since, until) {
    // The Events API only has strict comparisons: `gt` one millisecond before `since` keeps it inclusive.
    const after = new Date(since.getTime() - 1).toISOString();
    const filter = `action.objectType eq "core.user_auth.login_success" and published gt "${after}" and published lt "${until.toISOString()}"`;
    return `${origin}${EVENTS_API.path}?${new URLSearchParams({ filter, limit: '1000' })}`;
  },
  toSignIn(item) {
    if (!item || typeof item !== 'object') return MALFORMED;
    const e = item as LegacyEvent;
    if (e.action?.objectType !== 'core.user_auth.login_success') return undefined;
    if (typeof e.eventId !== 'string' || !e.eventId || !Array.isArray(e.actors)) return MALFORMED;
    const user = e.actors.find((a) => a?.objectType === 'User');
    if (!user || typeof user.id !== 'string' || !user.id) return MALFORMED;
    const client = e.actors.find((a) => a?.objectType === 'Client');
    const published = Date.parse(e.published as string);
    if (!Number.isFinite(published)) return MALFORMED;
    return {
      uuid: e.eventId,
      published,
      userId: user.id,
      login: str(user.login) ?? user.id,
      displayName: str(user.displayName) ?? '',
      client: client ? { ipAddress: str(client.ipAddress), browser: str(client.displayName) } : undefined,
    };
  },
};

interface LegacyEvent {
  eventId?: unknown;
  published?: unknown;
  action?: { objectType?: unknown };
  actors?: Array<{ id?: unknown; objectType?: unknown; login?: unknown; displayName?: unknown; ipAddress?: unknown }>;
}
