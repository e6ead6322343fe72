import type { EventSource, SignIn } from './sources';
import { RetriesExhaustedError, type PageFetcher } from './pageFetcher';
import { DensityProfile } from './density';
import { describeRange, newSlice, readPage, toItem, type Item, type Slice } from './slicePage';

/** Slices narrower than this are not split further: the extra query would cost more than it saves. */
const MIN_SPLIT_MS = 60_000;
/**
 * A slice is split only when its remaining range should hold at least this many items (two full pages),
 * as the events seen so far predict (see `DensityProfile`): each new slice costs one more, usually
 * partial, page.
 */
const MIN_SPLIT_ITEMS = 2000;
/**
 * How much longer than the measured round trip a request is assumed to take when planning how many
 * requests a slice can still make before the rate-limit window resets.
 */
const ROUND_TRIP_MARGIN = 1.5;
/**
 * Okta ends a System Log query that runs longer than 30 s (500 `E0000009`). A slice whose query keeps
 * failing that way (or with other server errors or timeouts) is split in half and both halves asked
 * again, down to this width; narrower, the failure ends the count.
 */
const MIN_SLOW_SPLIT_MS = 60_000;
/** Slow failures of one request before its slice is split rather than the same query tried again. */
const SLOW_ATTEMPTS_BEFORE_SPLIT = 2;
/** Splits for failures in one run: an org that fails every query is not queried into the ground. */
const MAX_FAILURE_SPLITS = 32;

export interface SliceRunOptions {
  source: EventSource;
  fetcher: PageFetcher;
  orgOrigin: string;
  since: number;
  until: number;
  /** Most requests in flight (sent and not yet read) at once. */
  concurrency: number;
  signal: AbortSignal;
  /** Called once on the first hard failure, to stop the other requests at once. */
  stop: () => void;
  onSignIn: (s: SignIn) => void;
  /** Called after every page with the covered fraction of [since, until). */
  onPage: (covered: number) => void;
  /** The request log. */
  log?: (line: string) => void;
  /** An event that would count but cannot be read (see `MALFORMED`). */
  onMalformed?: () => void;
}


/**
 * Fetches [since, until) as concurrent time slices, each a bounded query following its own `next` links.
 * The range starts as one slice; once a page shows how dense the events are, and while capacity is free,
 * the slice with the most work left is split in two halves of its expected events, its tail becoming a
 * new query (and its head a new query up to the split, from where it has got to). So a quiet range (a
 * refresh of the last hour) costs one request, and a busy month fans out to the concurrency limit.
 * Each slice counts only events inside its own bounds, so slices never count an event twice.
 *
 * The work a slice has left is predicted from the pages read so far by hour of the week
 * (`DensityProfile`). The slice with the most goes first, and while the rate limit binds, a window's
 * permits go to the slices with the most left (`waterLevel`): the slices end together, and the last
 * window is a few parallel rounds instead of one slice paging on alone.
 */
export async function runSlices(o: SliceRunOptions): Promise<void> {
  const slices = [newSlice(o.since, o.until)];
  let open = 0;
  let failure: unknown;
  let failureSplits = 0;
  let wake: (() => void) | undefined;
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  // Where events fall in the week, items per page and the time from a request to its page read, as
  // measured: what planning the slices needs.
  const profile = new DensityProfile();
  let itemsRead = 0;
  let pagesRead = 0;
  let roundTrip = 0;
  const perPage = () => (pagesRead ? Math.max(1, itemsRead / pagesRead) : 1000);
  /** Events a slice should still hold beyond the page it has asked for. */
  const itemsLeft = (s: Slice) => profile.expected(s.reached, s.end) - (s.busy ? perPage() : 0);
  /** Pages a slice should still need: at least the one it would ask for next, if it can ask now. */
  const pagesLeft = (s: Slice) => {
    if (pagesRead === 0) return Infinity;
    const left = Math.max(0, itemsLeft(s) / perPage());
    return launchable(s) ? Math.max(1, left) : left;
  };
  let windowTimer: ReturnType<typeof setTimeout> | undefined;
  const wakeAtReset = (ms: number) => {
    if (windowTimer) return;
    windowTimer = setTimeout(() => {
      windowTimer = undefined;
      poke();
    }, ms + 20);
  };

  /**
   * The next slice to send a request: the one with the most pages left. While the rate limit binds,
   * the window's remaining permits go to the slices with the most work left (see `waterLevel`), so
   * the slices end together instead of one straggler paging on alone at the end. Returns `held` when
   * slices wait for that reason, not for want of work.
   */
  const pick = (): { slice?: Slice; held: boolean } => {
    let best: Slice | undefined;
    let bestLeft = -1;
    const left: number[] = [];
    for (const s of slices) {
      if (s.done) continue;
      const pages = pagesLeft(s);
      left.push(pages);
      if (launchable(s) && pages > bestLeft) {
        best = s;
        bestLeft = pages;
      }
    }
    if (!best) return { held: false };
    const window = o.fetcher.budget.window();
    if (!window || window.permits === 0 || roundTrip === 0) return { slice: best, held: false };
    const perSlice = Math.max(1, Math.floor(window.endsIn / (roundTrip * ROUND_TRIP_MARGIN)));
    const level = waterLevel(left, window.permits, perSlice);
    if (bestLeft > level) return { slice: best, held: false };
    wakeAtReset(window.endsIn);
    return { held: true };
  };
  const fail = (err: unknown) => {
    if (failure === undefined) {
      failure = err;
      o.stop();
    }
  };

  const launch = (slice: Slice) => {
    let url: string;
    if (slice.requery || slice.next === undefined) {
      // A new query from where the slice has got to: events at `reached` itself come again and are
      // recognised by uuid (see `readPage`).
      url = o.source.firstPageUrl(o.orgOrigin, new Date(slice.reached), new Date(slice.end));
      slice.queryEnd = slice.end;
      slice.requery = false;
    } else url = slice.next;
    slice.next = undefined;
    slice.busy = true;
    open++;
    // A request that may have waited for a permit says nothing about the round trip.
    const sentAt = (o.fetcher.budget.window()?.permits ?? 0) > 0 ? Date.now() : undefined;
    const splittable = slice.end - slice.reached >= 2 * MIN_SLOW_SPLIT_MS;
    void (async () => {
      try {
        const page = await o.fetcher.fetchPage<Item>(url, describeRange(slice), (item) => toItem(o.source, item), o.source.fields, {
          slowAttempts: splittable ? SLOW_ATTEMPTS_BEFORE_SPLIT : undefined,
        });
        if (sentAt !== undefined) roundTrip = roundTrip ? 0.8 * roundTrip + 0.2 * (Date.now() - sentAt) : Date.now() - sentAt;
        const from = slice.reached;
        readPage(slice, page.items, o, profile);
        profile.cover(from, !page.next || slice.reached >= slice.end ? slice.end : slice.reached);
        itemsRead += page.items.length;
        pagesRead++;
        // The source's completeness rule ends its query; past the slice's (possibly shrunk) end, the rest
        // of this cursor belongs to the slice that took over the tail; and no link, nothing to follow.
        const queryOver = o.source.isLastPage({ events: page.items.length, next: page.next });
        if (queryOver || slice.reached >= slice.end || !page.next) {
          slice.done = true;
          slice.previousUuids = '';
        } else if (slice.queryEnd === slice.end) slice.next = page.next;
        // The slice shrank since its query began: its cursor runs on to the old end.
        else slice.requery = true;
        o.onPage(coveredFraction(slices, o.since, o.until));
      } catch (err) {
        if (err instanceof RetriesExhaustedError && err.splittable && failureSplits < MAX_FAILURE_SPLITS && splitSlow(slice, slices)) {
          failureSplits++;
          o.log?.(`Asking for ${describeRange(slice)} and the range after it separately: ${err.message}`);
        } else fail(err);
      } finally {
        slice.busy = false;
        open--;
        poke();
      }
    })();
  };

  try {
    for (;;) {
      let held = false;
      while (failure === undefined && !o.signal.aborted && open < o.concurrency) {
        const next = pick();
        held = next.held;
        // A new slice only when no slice has work to send; none while slices wait for a fair share of the window.
        const slice = next.slice ?? (held ? undefined : splitLargest(slices, profile, itemsLeft));
        if (!slice) break;
        launch(slice);
      }
      if (open === 0 && (!held || failure !== undefined || o.signal.aborted)) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        o.signal.addEventListener('abort', poke, { once: true });
      });
      o.signal.removeEventListener('abort', poke);
    }
  } finally {
    if (windowTimer) clearTimeout(windowTimer);
  }
  if (failure !== undefined) throw failure;
}

/**
 * The water level for a window's permits: the least number of pages left such that, if every slice
 * above it fetched down to it (at most `perSlice` pages each in the time the window has left), no more
 * than `permits` requests would be made. Slices above the level go first; 0 when every slice can go.
 */
export function waterLevel(pagesLeft: readonly number[], permits: number, perSlice: number): number {
  const wanted = (level: number) => {
    let n = 0;
    for (const left of pagesLeft) n += Math.min(perSlice, Math.max(0, left - level));
    return n;
  };
  if (wanted(0) <= permits) return 0;
  let low = 0;
  let high = 0;
  for (const left of pagesLeft) if (Number.isFinite(left) && left > high) high = left;
  if (wanted(high) > permits) return high;
  for (let i = 0; i < 30; i++) {
    const mid = (low + high) / 2;
    if (wanted(mid) <= permits) high = mid;
    else low = mid;
  }
  return high;
}

/** Whether a slice can send its next request now. */
function launchable(s: Slice): boolean {
  return !s.done && !s.busy && (s.requery || s.next !== undefined);
}

export function coveredFraction(slices: readonly { start: number; end: number; reached: number; done: boolean }[], since: number, until: number): number {
  const total = until - since;
  if (total <= 0) return 1;
  let covered = 0;
  for (const s of slices) covered += s.done ? s.end - s.start : Math.max(0, Math.min(s.reached, s.end) - s.start);
  return Math.min(1, covered / total);
}


/**
 * Hands the tail of the slice with the most work left to a new slice, or returns undefined if none is
 * worth it. The split point halves the events expected beyond the page already asked for.
 */
function splitLargest(slices: Slice[], profile: DensityProfile, itemsLeft: (s: Slice) => number): Slice | undefined {
  let best: Slice | undefined;
  let bestItems = MIN_SPLIT_ITEMS;
  for (const s of slices) {
    if (s.done || s.end - s.reached < 2 * MIN_SPLIT_MS) continue;
    const items = itemsLeft(s);
    if (items >= bestItems) {
      best = s;
      bestItems = items;
    }
  }
  if (!best) return undefined;
  const from = best.reached;
  // Expected events up to the split: all of the slice's but the second half of what is left.
  const mid = Math.round(profile.timeAt(from, best.end, profile.expected(from, best.end) - bestItems / 2));
  if (mid - from < MIN_SPLIT_MS || best.end - mid < MIN_SPLIT_MS) return undefined;
  const tail = newSlice(mid, best.end);
  best.end = mid;
  slices.push(tail);
  return tail;
}


/**
 * Halves a slice whose query keeps failing, so each half is a query Okta can answer in time. Both ask
 * again from where the slice had got to. False when the slice is too narrow to split.
 */
function splitSlow(slice: Slice, slices: Slice[]): boolean {
  if (slice.end - slice.reached < 2 * MIN_SLOW_SPLIT_MS) return false;
  const mid = slice.reached + Math.floor((slice.end - slice.reached) / 2);
  slices.push(newSlice(mid, slice.end));
  slice.end = mid;
  slice.next = undefined;
  slice.requery = true;
  return true;
}

