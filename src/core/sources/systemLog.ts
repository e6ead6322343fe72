/**
 * The System Log (`GET /api/v1/logs`): successful sign-ins of real users, of the counted event types.
 * https://developer.okta.com/docs/reference/api/system-log/
 */
import type { Fields } from '../jsonArray';
import type { OktaApi } from '../pageFetcher';
import { endsWithoutNext, MALFORMED, str, type EventSource, type SourceDefinition } from './source';

export const SYSTEM_LOG_API: OktaApi = { path: '/api/v1/logs', name: 'the System Log', scope: 'okta.logs.read' };

const LOG_EVENT_FIELDS: Fields = {
  uuid: true,
  published: true,
  eventType: true,
  outcome: { result: true },
  actor: { id: true, type: true, alternateId: true, displayName: true },
  client: {
    ipAddress: true,
    device: true,
    userAgent: { browser: true, os: true },
    geographicalContext: { country: true, city: true },
  },
};

export const systemLog: SourceDefinition = {
  kind: 'logs',
  label: 'System Log',
  summary: 'System Log',
  api: SYSTEM_LOG_API,
  takesEventTypes: true,
  create: systemLogSource,
};

function systemLogSource(eventTypes: readonly string[]): EventSource {
  const types = new Set(eventTypes);
  const typeFilter = eventTypes.map((t) => `eventType eq "${t}"`).join(' or ');
  // Failed sign-ins emit user.session.start too: only SUCCESS counts, and only for real users.
  const filter = `(${typeFilter}) and outcome.result eq "SUCCESS" and actor.type eq "User"`;
  return {
    kind: 'logs',
    api: SYSTEM_LOG_API,
    // Okta links `next` from an empty page only where its paging stalls: the links alone end a query.
    isLastPage: endsWithoutNext,
    fields: LOG_EVENT_FIELDS,
    firstPageUrl(origin, since, until) {
      const q = new URLSearchParams({ since: since.toISOString(), until: until.toISOString(), filter, limit: '1000', sortOrder: 'ASCENDING' });
      return `${origin}${SYSTEM_LOG_API.path}?${q}`;
    },
    toSignIn(item) {
      if (!item || typeof item !== 'object') return MALFORMED;
      const e = item as LogEvent;
      if (!types.has(e.eventType as string) || e.outcome?.result !== 'SUCCESS' || e.actor?.type !== 'User') return undefined;
      if (typeof e.uuid !== 'string' || !e.uuid || typeof e.actor.id !== 'string' || !e.actor.id) return MALFORMED;
      const published = Date.parse(e.published as string);
      if (!Number.isFinite(published)) return MALFORMED;
      const geo = e.client?.geographicalContext;
      const ua = e.client?.userAgent;
      return {
        uuid: e.uuid,
        published,
        userId: e.actor.id,
        login: str(e.actor.alternateId) ?? e.actor.id,
        displayName: str(e.actor.displayName) ?? '',
        client: {
          ipAddress: str(e.client?.ipAddress),
          country: str(geo?.country),
          city: str(geo?.city),
          browser: str(ua?.browser),
          os: str(ua?.os),
          device: str(e.client?.device),
        },
      };
    },
  };
}

interface LogEvent {
  uuid?: unknown;
  published?: unknown;
  eventType?: unknown;
  outcome?: { result?: unknown };
  actor?: { id?: unknown; type?: unknown; alternateId?: unknown; displayName?: unknown };
  client?: {
    ipAddress?: unknown;
    device?: unknown;
    userAgent?: { browser?: unknown; os?: unknown };
    geographicalContext?: { country?: unknown; city?: unknown };
  };
}
