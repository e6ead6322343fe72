import type { ClientInfo, Source } from './types';
import { InvalidInputError } from './errors';
import type { Fields } from './jsonArray';

/** The few fields of one sign-in that a count needs; everything else in the event is dropped at once. */
export interface SignIn {
  uuid: string;
  published: number;
  userId: string;
  login: string;
  displayName: string;
  client?: ClientInfo;
}

/** How one API is queried for a time range and how its events become `SignIn`s. */
export interface EventSource {
  readonly kind: Source;
  readonly path: string;
  /** The first page's URL for events in [since, until). */
  firstPageUrl(orgOrigin: string, since: Date, until: Date): string;
  /**
   * The members of an event that `toSignIn` reads (and `published`, which tracks a slice's progress):
   * pages are parsed to these only, the rest of each event is skipped unbuilt.
   */
  readonly fields: Fields;
  /**
   * A counted sign-in; undefined for an event that must not count (a failure, another type, not a
   * user); `MALFORMED` for one that would count but cannot be read (no id, an unreadable time), which
   * the report owns up to rather than dropping without a trace.
   */
  toSignIn(item: unknown): SignIn | undefined | typeof MALFORMED;
  /**
   * An empty page ends a query even when it links `next`. The live Events API links `next` from every
   * page; the System Log links on from an empty page only where Okta's paging stalls, and its query
   * ends where it stops linking.
   */
  readonly emptyPageEnds: boolean;
}

export const DEFAULT_EVENT_TYPES = ['user.session.start'];
/** What `toSignIn` says of an event that would count but cannot be read. */
export const MALFORMED = Symbol('malformed event');
const EVENT_TYPE = /^[a-z0-9_.]+$/i;

export function createSource(kind: Source, eventTypes: string[]): EventSource {
  if (kind === 'events') {
    const isDefault = eventTypes.length === 1 && eventTypes[0] === DEFAULT_EVENT_TYPES[0];
    if (!isDefault) {
      throw new InvalidInputError('Event types apply to the System Log only: the Events API source counts successful sign-ins');
    }
    return legacyEventsSource;
  }
  if (kind !== 'logs') throw new InvalidInputError(`The source must be "logs" or "events" (got "${String(kind)}")`);
  return systemLogSource(eventTypes);
}

export function validateEventTypes(eventTypes: string[]): string[] {
  const types = [...new Set(eventTypes.map((t) => t.trim()).filter(Boolean))];
  if (types.length === 0) throw new InvalidInputError('At least one event type is needed, for example user.session.start');
  for (const t of types) {
    if (!EVENT_TYPE.test(t)) throw new InvalidInputError(`"${t}" is not a System Log event type (letters, digits, dots and underscores)`);
  }
  return types;
}

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

function systemLogSource(eventTypes: string[]): EventSource {
  const types = new Set(eventTypes);
  const typeFilter = eventTypes.map((t) => `eventType eq "${t}"`).join(' or ');
  // Failed sign-ins emit user.session.start too: only SUCCESS counts, and only for real users.
  const filter = `(${typeFilter}) and outcome.result eq "SUCCESS" and actor.type eq "User"`;
  return {
    kind: 'logs',
    path: '/api/v1/logs',
    emptyPageEnds: false,
    fields: LOG_EVENT_FIELDS,
    firstPageUrl(origin, since, until) {
      const q = new URLSearchParams({ since: since.toISOString(), until: until.toISOString(), filter, limit: '1000', sortOrder: 'ASCENDING' });
      return `${origin}/api/v1/logs?${q}`;
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

const legacyEventsSource: EventSource = {
  kind: 'events',
  path: '/api/v1/events',
  emptyPageEnds: true,
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
    return `${origin}/api/v1/events?${new URLSearchParams({ filter, limit: '1000' })}`;
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

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
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

interface LegacyEvent {
  eventId?: unknown;
  published?: unknown;
  action?: { objectType?: unknown };
  actors?: Array<{ id?: unknown; objectType?: unknown; login?: unknown; displayName?: unknown; ipAddress?: unknown }>;
}
