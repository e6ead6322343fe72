/**
 * What a count means by "active": its source and event types. Saved counts are kept per definition
 * (a file-name suffix in both hosts), so counts under different definitions never overwrite or mix
 * with each other.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_EVENT_TYPES, DEFAULT_SOURCE, isDefaultEventTypes, sourceDefinition, type Source } from './sources';

/** What was counted as activity: part of the file name, so counts under different definitions never mix. */
export interface Definition {
  source: Source;
  eventTypes?: readonly string[];
}

/**
 * '' for the default definition (System Log sign-ins), so the common case reads `2026-10.json`;
 * `.<kind>` for a source that counts a fixed kind of sign-in (`.events`, the legacy Events API);
 * `.<kind>-<hash>` for other event types (`.logs-…`).
 */
export function definitionSuffix(def: Definition): string {
  if (!sourceDefinition(def.source).takesEventTypes) return `.${def.source}`;
  const types = [...new Set(def.eventTypes ?? DEFAULT_EVENT_TYPES)].sort();
  if (def.source === DEFAULT_SOURCE && isDefaultEventTypes(types)) return '';
  return `.${def.source}-${createHash('sha256').update(types.join('\n')).digest('hex').slice(0, 10)}`;
}

