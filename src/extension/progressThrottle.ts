/**
 * The one throttle between a count's per-page progress and everything that shows it. No `vscode`
 * import, so its timing is tested in plain Node (test/unit/progress-throttle.test.ts).
 */

/**
 * How often a running count tells the tree, the status bar, the notification and the dashboard:
 * twice a second reads as live, and a count of 100,000 pages does not redraw them 100,000 times.
 */
export const PROGRESS_INTERVAL_MS = 500;

export interface ThrottleClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: ThrottleClock = {
  // Monotonic: a wall clock set back an hour must not hold progress back an hour.
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Passes on the newest value at most once per interval. The first value goes at once; a value that
 * arrives sooner waits until the interval is over (replaced by any newer one meanwhile), so the
 * last value before a pause is never lost. `flush()` hands over a waiting value now; after
 * `dispose()` nothing is passed on and no timer is left.
 */
export class ProgressThrottle<T> {
  private last = Number.NEGATIVE_INFINITY;
  private pending?: { value: T };
  private timer?: unknown;
  private disposed = false;

  constructor(
    private readonly intervalMs: number,
    private readonly emit: (value: T) => void,
    private readonly clock: ThrottleClock = realClock,
  ) {}

  push(value: T): void {
    if (this.disposed) return;
    this.pending = { value };
    const wait = Math.min(this.intervalMs, this.last + this.intervalMs - this.clock.now());
    if (wait <= 0) this.flush();
    else if (this.timer === undefined) this.timer = this.clock.setTimeout(() => this.flush(), wait);
  }

  /** Passes on the waiting value, if any, now. */
  flush(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const pending = this.pending;
    this.pending = undefined;
    if (!pending || this.disposed) return;
    this.last = this.clock.now();
    this.emit(pending.value);
  }

  /** Drops a waiting value and its timer. */
  dispose(): void {
    this.disposed = true;
    this.flush();
  }
}
