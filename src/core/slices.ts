import type { EventSource, SignIn } from './sources';
import type { PageFetcher } from './pageFetcher';
import { OktaApiError } from './errors';

/** Slices narrower than this are not split further: the extra query would cost more than it saves. */
const MIN_SPLIT_MS = 60_000;
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
  /** uuids of the previous page: the System Log may repeat events across a page boundary. */
  previousPage: Set<string>;
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
 * The range starts as `concurrency` equal slices; when a slice finishes early and capacity is free, the
 * slice with the most time left is split in two, its tail becoming a new query. Each slice counts only
 * events inside its own bounds, so slices never count an event twice.
 */
export async function runSlices(o: SliceRunOptions): Promise<void> {
  const slices = initialSlices(o.since, o.until, o.concurrency);
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

function initialSlices(since: number, until: number, count: number): Slice[] {
  const n = Math.max(1, Math.min(count, Math.floor((until - since) / MIN_SPLIT_MS) || 1));
  const width = (until - since) / n;
  const slices: Slice[] = [];
  for (let i = 0; i < n; i++) {
    const start = Math.round(since + i * width);
    const end = i === n - 1 ? until : Math.round(since + (i + 1) * width);
    slices.push(newSlice(start, end));
  }
  return slices;
}

function newSlice(start: number, end: number): Slice {
  return { start, end, reached: start, done: false, busy: false, stalled: 0, previousPage: new Set() };
}

/** Hands the tail of the slice with the most time left to a new slice, or returns undefined if none is worth it. */
function splitLargest(slices: Slice[]): Slice | undefined {
  let best: Slice | undefined;
  for (const s of slices) {
    if (!s.done && s.end - s.reached > (best ? best.end - best.reached : 2 * MIN_SPLIT_MS)) best = s;
  }
  if (!best) return undefined;
  const mid = Math.round(best.reached + (best.end - best.reached) / 2);
  const tail = newSlice(mid, best.end);
  best.end = mid;
  slices.push(tail);
  return tail;
}

async function fetchNextPage(slice: Slice, o: SliceRunOptions): Promise<void> {
  const url = slice.next ?? o.source.firstPageUrl(o.orgOrigin, new Date(slice.start), new Date(slice.end));
  const page = await o.fetcher.fetchPage(url, describeRange(slice));
  const onPage = new Set<string>();
  let fresh = 0;
  let last = slice.reached;
  for (const item of page.items) {
    const s = o.source.toSignIn(item);
    const published = s?.published ?? publishedOf(item);
    if (published !== undefined && published > last) last = published;
    if (!s || s.published < slice.start || s.published >= slice.end) continue;
    const duplicate = onPage.has(s.uuid) || slice.previousPage.has(s.uuid);
    onPage.add(s.uuid);
    if (duplicate) continue;
    fresh++;
    o.onSignIn(s);
  }
  slice.previousPage = onPage;
  slice.stalled = last > slice.reached || fresh > 0 ? 0 : slice.stalled + 1;
  if (slice.stalled > MAX_STALLED_PAGES) {
    throw new OktaApiError(`Okta returned ${MAX_STALLED_PAGES} pages in a row with nothing new for ${describeRange(slice)}; the count stopped`);
  }
  slice.reached = last;
  slice.next = page.next;
  // Past its (possibly shrunk) end, the rest of this cursor belongs to the slice that took over the tail.
  slice.done = !page.next || last >= slice.end;
}

function publishedOf(item: unknown): number | undefined {
  const p = (item as { published?: unknown })?.published;
  const t = typeof p === 'string' ? Date.parse(p) : NaN;
  return Number.isFinite(t) ? t : undefined;
}

function describeRange(slice: Slice): string {
  return `events from ${new Date(slice.start).toISOString()} to ${new Date(slice.end).toISOString()}`;
}
