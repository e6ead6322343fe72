/**
 * Named definitions of "active": presets with a stable id, a human name and their System Log event
 * types, and the name of any definition a count used, so every host can say what a number counts.
 *
 * - `sign-ins` (the default): successful `user.session.start`, a user who got an Okta session.
 * - `customer-identity`: what Okta counts for Customer Identity MAU billing as the Okta IAM SE blog
 *   "Counting aMAUs from System Logs" lists it (https://iamse.blog/2023/02/20/counting-amaus-from-system-logs/):
 *   a session, or a token generated for the user (OAuth 2.0 / OIDC token grants, refresh tokens included).
 * - `custom`: any other list of event types (`okta-mau --event-type`).
 *
 * A definition is its source and its set of event types, whatever it is called: a custom list with the
 * same types as a preset counts the same users, so it has the preset's name and the same saved file
 * (`definitionSuffix` in definition.ts names files by the set of types). See docs/definitions.md.
 */
import { InvalidInputError } from './errors';
import { DEFAULT_EVENT_TYPES, DEFAULT_SOURCE, sourceDefinition, sourceLabel, type Source } from './sources';
import type { Definition } from './definition';
import type { UserStatus } from './userStatus';

export type PresetId = 'sign-ins' | 'customer-identity';
/** A preset's id, or `custom` for any other list of event types. */
export type DefinitionId = PresetId | 'custom';

export interface DefinitionPreset {
  id: PresetId;
  /** How reports and hosts name it: "Customer Identity (Okta's MAU billing)". */
  name: string;
  /** The System Log event types a successful event of which, by a `User` actor, makes a user active. */
  eventTypes: readonly string[];
  /**
   * The user statuses the definition's source says are counted. Informational: a successful session
   * or token grant happens only for a user who may sign in at that moment, so the System Log filter
   * (`outcome.result eq "SUCCESS"`, `actor.type eq "User"`) already limits a count to users in these
   * statuses at the time of the event (docs/definitions.md).
   */
  countedStatuses?: readonly UserStatus[];
  /** Where the definition comes from, for people. */
  reference?: string;
}

/** What a report or host says of the definition a count used. */
export interface DefinitionSummary {
  id: DefinitionId;
  name: string;
  eventTypes: string[];
}

const SIGN_INS: DefinitionPreset = Object.freeze({
  id: 'sign-ins',
  name: 'Sign-ins (user.session.start)',
  eventTypes: Object.freeze([...DEFAULT_EVENT_TYPES]),
});

/**
 * The blog's "SSO MAU Events" and "API Access Management Events", in its order, after
 * `user.session.start` ("authenticates to Okta and gets a valid Okta Session").
 */
const CUSTOMER_IDENTITY: DefinitionPreset = Object.freeze({
  id: 'customer-identity',
  name: "Customer Identity (Okta's MAU billing)",
  eventTypes: Object.freeze([
    'user.session.start',
    'app.oauth2.as.authorize.implicit.id_token',
    'app.oauth2.as.token.grant.id_token',
    'app.oauth2.as.token.grant.refresh_token',
    'app.oauth2.authorize.implicit.id_token',
    'app.oauth2.authorize.implicit.access_token',
    'app.oauth2.token.grant.access_token',
    'app.oauth2.token.grant.id_token',
    'app.oauth2.token.grant.refresh_token',
    'app.oauth2.as.authorize.implicit.access_token',
    'app.oauth2.as.token.grant.access_token',
  ]),
  countedStatuses: Object.freeze<UserStatus[]>(['ACTIVE', 'RECOVERY', 'LOCKED_OUT', 'PASSWORD_EXPIRED', 'SUSPENDED']),
  reference: 'https://iamse.blog/2023/02/20/counting-amaus-from-system-logs/',
});

/** Every preset, the default first. */
export const DEFINITION_PRESETS: readonly DefinitionPreset[] = Object.freeze([SIGN_INS, CUSTOMER_IDENTITY]);
export const PRESET_IDS: readonly PresetId[] = Object.freeze(DEFINITION_PRESETS.map((p) => p.id));
export const DEFAULT_PRESET_ID: PresetId = 'sign-ins';

export function isPresetId(id: unknown): id is PresetId {
  return typeof id === 'string' && (PRESET_IDS as readonly string[]).includes(id);
}

/** The preset of that id; `InvalidInputError` naming the ids there are otherwise. */
export function definitionPreset(id: unknown): DefinitionPreset {
  const preset = DEFINITION_PRESETS.find((p) => p.id === id);
  if (!preset) {
    const hint = id === 'custom' ? ' (a custom definition is its list of event types)' : '';
    throw new InvalidInputError(`The definition must be ${PRESET_IDS.map((p) => `"${p}"`).join(' or ')}${hint} (got "${shortText(String(id), 40)}")`);
  }
  return preset;
}

/**
 * The `Definition` (source and event types) a count of a preset runs with: the System Log unless a
 * source is given. `sign-ins` works with any source (the Events API counts its own sign-in event);
 * a preset of other event types needs a source that takes event types.
 */
export function presetDefinition(id: PresetId, source: Source = DEFAULT_SOURCE): Definition {
  const preset = definitionPreset(id);
  if (preset.id === 'sign-ins') return sourceDefinition(source).takesEventTypes ? { source, eventTypes: [...preset.eventTypes] } : { source };
  if (!sourceDefinition(source).takesEventTypes) {
    throw new InvalidInputError(`The ${preset.name} definition counts System Log event types: it cannot be counted from the ${sourceLabel(source)}`);
  }
  return { source, eventTypes: [...preset.eventTypes] };
}

/** Event types a custom definition's name shows before "…". */
const NAMED_TYPES = 3;
/** Characters of one event type a name shows before "…". */
const NAMED_TYPE_LENGTH = 48;
const EVENT_TYPE_CHARS = /[^A-Za-z0-9_.-]/g;

function shortText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((t) => y.has(t));
}

/**
 * Which definition a count used, from its source and event types (a saved report, a `Definition`, a
 * host's settings): a preset when its set of event types is exactly the preset's (order and repeats
 * aside), `custom` otherwise, named "Custom: 2 event types (a, b)". Event types come from saved files:
 * a name shows at most three of them, each shortened, and any character an event type cannot hold as
 * `?`, so a tampered file cannot put markup or control characters into a host's labels.
 */
export function describeDefinition(def: { source?: Source | string; eventTypes?: readonly string[] }): DefinitionSummary {
  const source = def.source ?? DEFAULT_SOURCE;
  const types = [...new Set((def.eventTypes?.length ? def.eventTypes : DEFAULT_EVENT_TYPES).map(String))];
  let takesTypes = true;
  try {
    takesTypes = sourceDefinition(source).takesEventTypes;
  } catch {
    // An unknown source (a file from another version): named by its event types.
  }
  if (!takesTypes) {
    return { id: SIGN_INS.id, name: `Sign-ins (${sourceLabel(source as Source)})`, eventTypes: [...SIGN_INS.eventTypes] };
  }
  const preset = DEFINITION_PRESETS.find((p) => sameSet(p.eventTypes, types));
  if (preset) return { id: preset.id, name: preset.name, eventTypes: [...preset.eventTypes] };
  const shown = types.slice(0, NAMED_TYPES).map((t) => shortText(t.replace(EVENT_TYPE_CHARS, '?'), NAMED_TYPE_LENGTH));
  const more = types.length > NAMED_TYPES ? ', …' : '';
  const count = `${types.length} event ${types.length === 1 ? 'type' : 'types'}`;
  return { id: 'custom', name: `Custom: ${count} (${shown.join(', ')}${more})`, eventTypes: types };
}

/** The name of the definition a count used: `describeDefinition(def).name`. */
export function definitionName(def: { source?: Source | string; eventTypes?: readonly string[] }): string {
  return describeDefinition(def).name;
}
