/**
 * A generated org kept as columns of numbers (about 17 bytes an event) and rendered on demand,
 * so a million-event org fits comfortably in one process and starts in seconds.
 */
import { LIGHT_PATHS, Kind, renderEvent, renderJson, renderLight, type UserTable } from './render';
import type { EventStore } from './store';
import type { LogEvent } from './types';

export class CompactStore implements EventStore {
  private pub: Float64Array;
  private seq: Uint32Array;
  private kind: Uint8Array;
  private user: Int32Array;
  private salt: Uint32Array;
  private count = 0;
  private sealed = false;
  readonly lightPaths = LIGHT_PATHS;

  constructor(readonly seed: number, readonly users: UserTable, capacity: number) {
    this.pub = new Float64Array(capacity);
    this.seq = new Uint32Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.user = new Int32Array(capacity);
    this.salt = new Uint32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(kind: Kind, user: number, pubMs: number, salt: number): void {
    if (this.sealed) throw new Error('CompactStore is sealed');
    if (this.count === this.pub.length) throw new Error('CompactStore capacity exceeded');
    const i = this.count++;
    this.pub[i] = pubMs;
    this.seq[i] = i;
    this.kind[i] = kind;
    this.user[i] = user;
    this.salt[i] = salt;
  }

  /** Sorts into timeline order; generation order is the tie-break, as arrival order would be. */
  seal(): void {
    const n = this.count;
    // One native numeric sort of packed (published - min, index) keys: a comparator sort of a
    // million indices takes seconds, this takes a fraction of one.
    let min = Infinity;
    for (let i = 0; i < n; i++) if (this.pub[i] < min) min = this.pub[i];
    const bits = BigInt(Math.max(1, Math.ceil(Math.log2(n + 1))));
    const keys = new BigUint64Array(n);
    for (let i = 0; i < n; i++) keys[i] = (BigInt(this.pub[i] - min) << bits) | BigInt(i);
    keys.sort();
    const mask = (1n << bits) - 1n;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = Number(keys[i] & mask);
    const permute = <T extends Float64Array | Uint32Array | Uint8Array | Int32Array>(src: T, make: (n: number) => T): T => {
      const out = make(n);
      for (let i = 0; i < n; i++) out[i] = src[order[i]];
      return out;
    };
    this.pub = permute(this.pub, (k) => new Float64Array(k));
    this.seq = permute(this.seq, (k) => new Uint32Array(k));
    this.kind = permute(this.kind, (k) => new Uint8Array(k));
    this.user = permute(this.user, (k) => new Int32Array(k));
    this.salt = permute(this.salt, (k) => new Uint32Array(k));
    this.sealed = true;
  }

  publishedAt(i: number): number {
    return this.pub[i];
  }

  seqAt(i: number): number {
    return this.seq[i];
  }

  event(i: number): LogEvent {
    return renderEvent(this.kind[i], this.user[i], this.pub[i], this.salt[i], this.seq[i], this.seed, this.users);
  }

  json(i: number): string {
    return renderJson(this.kind[i], this.user[i], this.pub[i], this.salt[i], this.seq[i], this.seed, this.users);
  }

  light(i: number): Partial<LogEvent> {
    return renderLight(this.kind[i], this.user[i], this.salt[i], this.seq[i], this.seed, this.users);
  }

  /** What the ground truth reads, without rendering whole events. */
  *truthViews(): IterableIterator<Pick<LogEvent, 'eventType' | 'outcome' | 'actor' | 'uuid' | 'published'>> {
    for (let i = 0; i < this.count; i++) {
      const v = this.light(i);
      yield { eventType: v.eventType!, outcome: v.outcome!, actor: v.actor!, uuid: v.uuid!, published: new Date(this.pub[i]).toISOString() };
    }
  }

  toEvents(): LogEvent[] {
    const out: LogEvent[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.event(i);
    return out;
  }

  *[Symbol.iterator](): IterableIterator<LogEvent> {
    for (let i = 0; i < this.count; i++) yield this.event(i);
  }
}
