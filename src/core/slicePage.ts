/**
 * One slice of a count and what it does with a page: count each sign-in inside its bounds once (the
 * System Log may repeat events across a page boundary), own up to unreadable ones, and move forward.
 */
import { OktaApiError } from './errors';
import type { DensityProfile } from './density';
import { MALFORMED, type EventSource, type SignIn } from './sources';

/** A cursor that returns this many pages in a row without moving forward is treated as broken. */
const MAX_STALLED_PAGES = 50;

export interface Slice {
  start: number;
  /** Exclusive; shrinks when the slice is split and another slice takes over its tail. */
  end: number;
  /** The `until` of the query the slice's cursor follows: its `end`, unless the slice shrank since. */
  queryEnd: number;
  /** Next page to fetch, once its predecessor has been read. */
  next?: string;
  /** The next request starts a new query from `reached` to `end` (the first page, or after a split). */
  requery: boolean;
  /** A request is out, or its page is being read. */
  busy: boolean;
  /** Latest `published` reached so far: the slice's progress. */
  reached: number;
  done: boolean;
  stalled: number;
  /**
   * The previous page's counted uuids, as one newline-delimited string, and its latest `published`:
   * the System Log may repeat events across a page boundary. One string per page, not a `Set`: a set
   * of 1,000 strings outlives a few young-generation collections while the other slices take their
   * turns, so it was promoted and became old-generation garbage a page later, the largest share of
   * it in a count (see docs/benchmarks.md).
   */
  previousUuids: string;
  previousLast: number;
}

export type Item = { signIn: SignIn | undefined; published: number | undefined; malformed: boolean };

/** Where a page's sign-ins go. */
export interface PageSink {
  onSignIn: (s: SignIn) => void;
  /** An event that would count but cannot be read (see `MALFORMED`). */
  onMalformed?: () => void;
}

export function newSlice(start: number, end: number): Slice {
  return {
    start,
    end,
    queryEnd: end,
    requery: true,
    busy: false,
    reached: start,
    done: false,
    stalled: 0,
    previousUuids: '',
    previousLast: -Infinity,
  };
}

export function toItem(source: EventSource, item: unknown): Item {
  const signIn = source.toSignIn(item);
  if (signIn === MALFORMED) return { signIn: undefined, published: publishedOf(item), malformed: true };
  return { signIn, published: signIn?.published ?? publishedOf(item), malformed: false };
}

/** Counts a page's sign-ins inside the slice's bounds, once each, and moves the slice forward. */
export function readPage(slice: Slice, items: Item[], o: PageSink, profile: DensityProfile): void {
  const onPage = new Set<string>();
  let fresh = 0;
  let last = slice.reached;
  let lastCounted = -Infinity;
  for (const { signIn: s, published, malformed } of items) {
    if (published !== undefined) {
      // An event past the query's own upper bound is odd, not progress: the slice follows its
      // cursor to the end rather than stop on it. (Past a shrunk slice's end, up to the query's, the
      // events belong to the slice that took over the tail: that is progress.)
      if (published > last && published < slice.queryEnd) last = published;
      if (published >= slice.start && published < slice.end) profile.add(published);
    }
    if (malformed) {
      if (published === undefined || (published >= slice.start && published < slice.end)) o.onMalformed?.();
      continue;
    }
    if (!s || s.published < slice.start || s.published >= slice.end) continue;
    // Only an event no later than the previous page's latest can be a repeat of it.
    const duplicate = onPage.has(s.uuid) || (s.published <= slice.previousLast && slice.previousUuids.includes(`\n${s.uuid}\n`));
    onPage.add(s.uuid);
    if (s.published > lastCounted) lastCounted = s.published;
    if (duplicate) continue;
    fresh++;
    o.onSignIn(s);
  }
  slice.previousUuids = onPage.size ? ['', ...onPage, ''].join('\n') : '';
  slice.previousLast = lastCounted;
  slice.stalled = last > slice.reached || fresh > 0 ? 0 : slice.stalled + 1;
  if (slice.stalled > MAX_STALLED_PAGES) {
    throw new OktaApiError(`Okta returned ${MAX_STALLED_PAGES} pages in a row with nothing new for ${describeRange(slice)}; the count stopped`);
  }
  slice.reached = last;
}

function publishedOf(item: unknown): number | undefined {
  const p = (item as { published?: unknown })?.published;
  const t = typeof p === 'string' ? Date.parse(p) : NaN;
  return Number.isFinite(t) ? t : undefined;
}

export function describeRange(slice: Slice): string {
  const at = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  return `events from ${at(slice.start)} to ${at(slice.end)} UTC`;
}
