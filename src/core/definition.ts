/**
 * What a count means by "active": its source and event types. Saved counts are kept per definition
 * (a file-name suffix in both hosts), so counts under different definitions never overwrite or mix
 * with each other.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_EVENT_TYPES } from './sources';
import type { Source } from './types';

/** What was counted as activity: part of the file name, so counts under different definitions never mix. */
export interface Definition {
  source: Source;
  eventTypes?: readonly string[];
}

/**
 * '' for the default definition (System Log sign-ins), so the common case reads `2026-10.json`;
 * `.events` for the legacy Events API; `.logs-<hash>` for other System Log event types.
 */
export function definitionSuffix(def: Definition): string {
  if (def.source === 'events') return '.events';
  const types = [...new Set(def.eventTypes ?? DEFAULT_EVENT_TYPES)].sort();
  if (types.join() === [...DEFAULT_EVENT_TYPES].sort().join()) return '';
  return `.logs-${createHash('sha256').update(types.join('\n')).digest('hex').slice(0, 10)}`;
}

