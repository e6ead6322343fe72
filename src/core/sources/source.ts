/**
 * The seam a source of sign-ins plugs into. A source is one Okta API read over a time range: the
 * first page's URL for [since, until), which members of an event a count reads, how an event becomes
 * a `SignIn` (or nothing), and when a query is over. The core does the rest for every source alike:
 * slicing the range, paging, rate limits, retries and de-duplication (`slices.ts`, `slicePage.ts`).
 * `docs/architecture.md` says how to add one.
 */
import type { ClientInfo } from '../types';
import type { Fields } from '../jsonArray';
import type { OktaApi } from '../pageFetcher';

/** The few fields of one sign-in that a count needs; everything else in the event is dropped at once. */
export interface SignIn {
  uuid: string;
  published: number;
  userId: string;
  login: string;
  displayName: string;
  client?: ClientInfo;
}

/** What `toSignIn` says of an event that would count but cannot be read. */
export const MALFORMED = Symbol('malformed event');

/** How one API is queried for a time range and how its events become `SignIn`s. */
export interface EventSource {
  readonly kind: string;
  /** The API it reads: its path, and how a refusal is explained (its name and OAuth scope). */
  readonly api: OktaApi;
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
   * The completeness rule: whether an empty page ends a query even when it links `next`. A query
   * always ends where the API stops linking `next`, and once its events reach the query's upper
   * bound. The live Events API links `next` from every page; the System Log links on from an empty
   * page only where Okta's paging stalls, so there only the links end a query.
   */
  readonly emptyPageEnds: boolean;
}

/** A source as the registry (`index.ts`) holds it: what hosts show and accept, and how to build it. */
export interface SourceDefinition {
  /** Its name in settings, `--source`, reports and saved files. */
  readonly kind: string;
  /** As a person reads it: "System Log". */
  readonly label: string;
  readonly api: OktaApi;
  /**
   * Whether a count can choose which event types make a user active. A source that cannot counts a
   * fixed kind of sign-in, and its counts are kept apart from the others' by its kind alone.
   */
  readonly takesEventTypes: boolean;
  /** The source for a count of these (validated) event types; throws `InvalidInputError` for what it cannot count. */
  create(eventTypes: readonly string[]): EventSource;
}

/** A non-empty string, or undefined: org data fields that may be missing, null or empty. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
