import type { EventSource, SignIn } from './sources';
import type { PageFetcher } from './pageFetcher';
import { OktaApiError } from './errors';

/** Slices narrower than this are not split further: the extra query would cost more than it saves. */
const MIN_SPLIT_MS = 60_000;
/**
 * A slice is split only when, at the density seen so far, its remaining range should hold at least this
 * many items (two full pages): each new slice costs one more, usually partial, page.
 */
const MIN_SPLIT_ITEMS = 2000;
/** A cursor that returns this many pages in a row without moving forward is treated as broken. */
const MAX_STALLED_PAGES = 50;

interface Slice {
  start: number;
  /** Exclusive; shrinks when the slice is split and another slice takes over its tail. */
  end: number;
  /** Next page to fetch; undefined before the first page. */
  next?: string;
  /** Latest `published` reached so far: the slice's progress. */
  reached: number;
  done: boolean;
  busy: boolean;
  stalled: number;
  /** Items received so far. */
  fetched: number;
  /** Items per millisecond: measured once the slice has a page, inherited from its parent before that. */
  density: number;
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

export interface SliceRunOptions {
  source: EventSource;
  fetcher: PageFetcher;
  orgOrigin: string;
  since: number;
  until: number;
  concurrency: number;
  signal: AbortSignal;
  /** Called once on the first hard failure, to stop the other requests at once. */
  stop: () => void;
  onSignIn: (s: SignIn) => void;
  /** Called after every page with the covered fraction of [since, until). */
  onPage: (covered: number) => void;
}

/**
 * Fetches [since, until) as concurrent time slices, each a bounded query following its own `next` links.
 * The range starts as one slice; once a page shows how dense the events are, and while capacity is free,
 * the slice with the most work left is split in two, its tail becoming a new query. So a quiet range
 * (a refresh of the last hour) costs one request, and a busy month fans out to the concurrency limit.
 * Each slice counts only events inside its own bounds, so slices never count an event twice.
 */
export async function runSlices(o: SliceRunOptions): Promise<void> {
  const slices = [newSlice(o.since, o.until)];
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;

  const launch = (slice: Slice) => {
    slice.busy = true;
    const task: Promise<void> = fetchNextPage(slice, o)
      .then(() => o.onPage(coveredFraction(slices, o.since, o.until)))
      .catch((err) => {
        if (failure === undefined) {
          failure = err;
          o.stop();
        }
      })
      .finally(() => {
        slice.busy = false;
        inFlight.delete(task);
      });
    inFlight.add(task);
  };

  for (;;) {
    while (failure === undefined && !o.signal.aborted && inFlight.size < o.concurrency) {
      const slice = slices.find((s) => !s.done && !s.busy) ?? splitLargest(slices);
      if (!slice) break;
      launch(slice);
    }
    if (inFlight.size === 0) break;
    await Promise.race(inFlight);
  }
  if (failure !== undefined) throw failure;
}

export function coveredFraction(slices: readonly { start: number; end: number; reached: number; done: boolean }[], since: number, until: number): number {
  const total = until - since;
  if (total <= 0) return 1;
  let covered = 0;
  for (const s of slices) covered += s.done ? s.end - s.start : Math.max(0, Math.min(s.reached, s.end) - s.start);
  return Math.min(1, covered / total);
}

function newSlice(start: number, end: number, density = 0): Slice {
  return { start, end, reached: start, done: false, busy: false, stalled: 0, fetched: 0, density, previousUuids: '', previousLast: -Infinity };
}

/** Items a slice should still hold, at its measured (or inherited) density. */
function expectedRemaining(s: Slice): number {
  return s.density * (s.end - s.reached);
}

/** Hands the tail of the slice with the most work left to a new slice, or returns undefined if none is worth it. */
function splitLargest(slices: Slice[]): Slice | undefined {
  let best: Slice | undefined;
  let bestItems = MIN_SPLIT_ITEMS;
  for (const s of slices) {
    if (s.done || s.end - s.reached < 2 * MIN_SPLIT_MS) continue;
    const items = expectedRemaining(s);
    if (items >= bestItems) {
      best = s;
      bestItems = items;
    }
  }
  if (!best) return undefined;
  const mid = Math.round(best.reached + (best.end - best.reached) / 2);
  const tail = newSlice(mid, best.end, best.density);
  best.end = mid;
  slices.push(tail);
  return tail;
}

async function fetchNextPage(slice: Slice, o: SliceRunOptions): Promise<void> {
  const url = slice.next ?? o.source.firstPageUrl(o.orgOrigin, new Date(slice.start), new Date(slice.end));
  // Each event is parsed to the fields a sign-in needs and reduced to its sign-in (or just its time).
  const page = await o.fetcher.fetchPage(
    url,
    describeRange(slice),
    (item) => {
      const signIn = o.source.toSignIn(item);
      return { signIn, published: signIn?.published ?? publishedOf(item) };
    },
    o.source.fields,
  );
  const onPage = new Set<string>();
  let fresh = 0;
  let last = slice.reached;
  let lastCounted = -Infinity;
  for (const { signIn: s, published } of page.items) {
    if (published !== undefined && published > last) last = published;
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
  slice.fetched += page.items.length;
  if (last > slice.start) slice.density = slice.fetched / (last - slice.start);
  slice.stalled = last > slice.reached || fresh > 0 ? 0 : slice.stalled + 1;
  if (slice.stalled > MAX_STALLED_PAGES) {
    throw new OktaApiError(`Okta returned ${MAX_STALLED_PAGES} pages in a row with nothing new for ${describeRange(slice)}; the count stopped`);
  }
  slice.reached = last;
  slice.next = page.next;
  // Past its (possibly shrunk) end, the rest of this cursor belongs to the slice that took over the tail.
  slice.done = !page.next || last >= slice.end;
  if (slice.done) slice.previousUuids = '';
}

function publishedOf(item: unknown): number | undefined {
  const p = (item as { published?: unknown })?.published;
  const t = typeof p === 'string' ? Date.parse(p) : NaN;
  return Number.isFinite(t) ? t : undefined;
}

function describeRange(slice: Slice): string {
  return `events from ${new Date(slice.start).toISOString()} to ${new Date(slice.end).toISOString()}`;
}
