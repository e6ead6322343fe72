/**
 * The registry of sources: every source a count can read, by kind. Adding one is a file beside this
 * one (a `SourceDefinition`, see `source.ts`) and a line in `REGISTRY`; `okta-mau --source` and its
 * --help, saved files, the hosts' file checks and reports take their kinds, labels and summaries from
 * here. (The extension counts `DEFAULT_SOURCE` only: it has no source setting.)
 */
import { InvalidInputError } from '../errors';
import { eventsApi } from './eventsApi';
import { systemLog } from './systemLog';
import type { EventSource, SourceDefinition } from './source';

export { MALFORMED, type EventSource, type PageSeen, type SignIn, type SourceDefinition } from './source';
export { SYSTEM_LOG_API } from './systemLog';

const REGISTRY = {
  logs: systemLog,
  events: eventsApi,
} as const satisfies Record<string, SourceDefinition>;

/** Where sign-ins are read from: the System Log (default) or the legacy Events API. */
export type Source = keyof typeof REGISTRY;
export const SOURCE_KINDS = Object.keys(REGISTRY) as Source[];
export const DEFAULT_SOURCE: Source = 'logs';
export const DEFAULT_EVENT_TYPES = ['user.session.start'];
const EVENT_TYPE = /^[a-z0-9_.]+$/i;

export function isSource(kind: unknown): kind is Source {
  return typeof kind === 'string' && Object.hasOwn(REGISTRY, kind);
}

/** The registered source of that kind; `InvalidInputError` naming the kinds there are otherwise. */
export function sourceDefinition(kind: unknown): SourceDefinition {
  if (!isSource(kind)) {
    throw new InvalidInputError(`The source must be ${SOURCE_KINDS.map((k) => `"${k}"`).join(' or ')} (got "${String(kind)}")`);
  }
  return REGISTRY[kind];
}

/** "System Log" for `logs`: how a report names its source. */
export function sourceLabel(kind: Source): string {
  return isSource(kind) ? REGISTRY[kind].label : String(kind);
}

export function createSource(kind: Source, eventTypes: readonly string[]): EventSource {
  const def = sourceDefinition(kind);
  if (!def.takesEventTypes && !isDefaultEventTypes(eventTypes)) {
    const takers = SOURCE_KINDS.filter((k) => REGISTRY[k].takesEventTypes).map((k) => `the ${REGISTRY[k].label}`);
    throw new InvalidInputError(`Event types apply to ${takers.join(' and ')} only: the ${def.label} source counts successful sign-ins`);
  }
  return def.create(eventTypes);
}

export function isDefaultEventTypes(eventTypes: readonly string[]): boolean {
  return [...new Set(eventTypes)].sort().join() === [...DEFAULT_EVENT_TYPES].sort().join();
}

export function validateEventTypes(eventTypes: readonly string[]): string[] {
  const types = [...new Set(eventTypes.map((t) => t.trim()).filter(Boolean))];
  if (types.length === 0) throw new InvalidInputError('At least one event type is needed, for example user.session.start');
  for (const t of types) {
    if (!EVENT_TYPE.test(t)) throw new InvalidInputError(`"${t}" is not a System Log event type (letters, digits, dots and underscores)`);
  }
  return types;
}
