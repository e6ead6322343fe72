/**
 * The seam a source of sign-ins plugs into. A source is one Okta API read over a time range: the
 * first page's URL for [since, until), which members of an event a count reads, how an event becomes
 * a `SignIn` (or nothing), and when a query is over (`isLastPage`, its own completeness rule). The
 * core does the rest for every source alike: slicing the range, paging, rate limits, retries and
 * de-duplication (`slices.ts`, `slicePage.ts`).
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
   * The completeness rule: whether the query is over after this page. The API's own paging says so
   * when a page links no `next` (a query can never go on without one); some APIs link on regardless:
   * the live Events API links `next` from every page, the last one included, so an empty page ends its
   * query. (A slice also ends once its events reach its upper bound, whatever the source: `slices.ts`.)
   */
  isLastPage(page: PageSeen): boolean;
}

/** What a source's completeness rule sees of a page it was asked for. */
export interface PageSeen {
  /** Events on the page, counted or not. */
  readonly events: number;
  /** The page's validated `next` link, if it gave one. */
  readonly next: string | undefined;
}

/** The completeness rule of an API whose paging is trustworthy: its query ends where it stops linking `next`. */
export function endsWithoutNext(page: PageSeen): boolean {
  return page.next === undefined;
}

/** A source as the registry (`index.ts`) holds it: what hosts show and accept, and how to build it. */
export interface SourceDefinition {
  /** Its name in settings, `--source`, reports and saved files. */
  readonly kind: string;
  /** As a person reads it: "System Log". */
  readonly label: string;
  /** What `okta-mau --help` says of it, a few words: "System Log", "legacy Events API". */
  readonly summary: string;
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
