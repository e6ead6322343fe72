/**
 * The org's timeline: events sorted by (published, seq), where seq is arrival order, so a cursor
 * (published, seq) keeps its place even when late events are merged in before it.
 */
import type { LogEvent } from './types';

export interface EventStore {
  readonly size: number;
  /** Epoch ms of the i-th event in timeline order. */
  publishedAt(i: number): number;
  seqAt(i: number): number;
  event(i: number): LogEvent;
  /** The event serialised exactly as it goes on the wire. */
  json(i: number): string;
  /** A cheap partial event with at least the paths in `lightPaths`; absent when `event` is cheap. */
  light?(i: number): Partial<LogEvent>;
  readonly lightPaths?: ReadonlySet<string>;
}

/** First index whose published instant is >= ms. */
export function lowerBound(store: EventStore, ms: number): number {
  let lo = 0;
  let hi = store.size;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (store.publishedAt(mid) < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index strictly after the key (ms, seq) in timeline order. */
export function indexAfter(store: EventStore, ms: number, seq: number): number {
  let i = lowerBound(store, ms);
  while (i < store.size && store.publishedAt(i) === ms && store.seqAt(i) <= seq) i++;
  return i;
}

/** Last index strictly before the key (ms, seq) in timeline order, or -1. */
export function indexBefore(store: EventStore, ms: number, seq: number): number {
  let i = lowerBound(store, ms + 1) - 1;
  while (i >= 0 && store.publishedAt(i) === ms && store.seqAt(i) >= seq) i--;
  return i;
}

export function parsePublished(ev: LogEvent): number {
  const ms = Date.parse(ev.published);
  if (!Number.isFinite(ms)) throw new Error(`event ${ev.uuid} has an unparseable published "${ev.published}"`);
  return ms;
}

/** Events given as objects. Serialisation is cached per event, since pages are re-read often. */
export class ObjectStore implements EventStore {
  private events: LogEvent[] = [];
  private pub: number[] = [];
  private seq: number[] = [];
  private cache: (string | undefined)[] = [];
  private nextSeq = 0;

  constructor(events: readonly LogEvent[] = []) {
    this.append(events);
  }

  get size(): number {
    return this.events.length;
  }

  publishedAt(i: number): number {
    return this.pub[i];
  }

  seqAt(i: number): number {
    return this.seq[i];
  }

  event(i: number): LogEvent {
    return this.events[i];
  }

  json(i: number): string {
    return (this.cache[i] ??= JSON.stringify(this.events[i]));
  }

  append(events: readonly LogEvent[]): void {
    const rows = this.events.map((ev, i) => ({ ev, pub: this.pub[i], seq: this.seq[i], json: this.cache[i] }));
    for (const ev of events) rows.push({ ev, pub: parsePublished(ev), seq: this.nextSeq++, json: undefined });
    rows.sort((a, b) => a.pub - b.pub || a.seq - b.seq);
    this.events = rows.map((r) => r.ev);
    this.pub = rows.map((r) => r.pub);
    this.seq = rows.map((r) => r.seq);
    this.cache = rows.map((r) => r.json);
  }
}
