const HOUR_MS = 3_600_000;
const WEEK_HOURS = 168;
/** An hour of the week is trusted once this much of it has been read; before that the average applies. */
const MIN_COVERED_MS = 10 * 60_000;

/**
 * How many events fall in a range, predicted from the pages read so far by hour of the week: sign-ins
 * follow office hours and weekdays, so a night or a weekend holds a fraction of a weekday afternoon,
 * and an average over the month would misjudge a slice's remaining hours several times over.
 */
export class DensityProfile {
  private readonly items = new Float64Array(WEEK_HOURS);
  private readonly covered = new Float64Array(WEEK_HOURS);
  private totalItems = 0;
  private totalCovered = 0;
  /** Items per ms in each hour of the week, and the items expected before each hour, from its start. */
  private readonly rate = new Float64Array(WEEK_HOURS);
  private readonly before = new Float64Array(WEEK_HOURS + 1);
  private stale = true;

  /** An event read, at its `published` time. */
  add(published: number): void {
    this.items[hourOfWeek(published)]++;
    this.totalItems++;
    this.stale = true;
  }

  /** A range read completely: every event in it has been `add`ed. */
  cover(from: number, to: number): void {
    for (let at = from; at < to; ) {
      const next = Math.min(to, (Math.floor(at / HOUR_MS) + 1) * HOUR_MS);
      this.covered[hourOfWeek(at)] += next - at;
      this.totalCovered += next - at;
      at = next;
    }
    this.stale = true;
  }

  /** Events expected in [from, to): the scheduler asks for every slice before every request, so O(1). */
  expected(from: number, to: number): number {
    return to > from ? this.upTo(to) - this.upTo(from) : 0;
  }

  /** The time by which `items` events are expected after `from`, at most `to`. */
  timeAt(from: number, to: number, items: number): number {
    const target = this.upTo(from) + items;
    if (items <= 0) return from;
    if (this.upTo(to) <= target) return to;
    let low = from;
    let high = to;
    // Expected events grow with time: bisect to the millisecond.
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (this.upTo(mid) < target) low = mid;
      else high = mid;
    }
    return high;
  }

  /** Events expected from the start of the first week of the epoch up to `t`. */
  private upTo(t: number): number {
    this.refresh();
    const hours = Math.floor(t / HOUR_MS);
    const weeks = Math.floor(hours / WEEK_HOURS);
    const hour = hours - weeks * WEEK_HOURS;
    return weeks * this.before[WEEK_HOURS] + this.before[hour] + this.rate[hour] * (t - hours * HOUR_MS);
  }

  private refresh(): void {
    if (!this.stale) return;
    this.stale = false;
    const average = this.totalCovered > 0 ? this.totalItems / this.totalCovered : 0;
    for (let h = 0; h < WEEK_HOURS; h++) {
      this.rate[h] = this.covered[h] >= MIN_COVERED_MS ? this.items[h] / this.covered[h] : average;
      this.before[h + 1] = this.before[h] + this.rate[h] * HOUR_MS;
    }
  }
}

function hourOfWeek(ms: number): number {
  const h = Math.floor(ms / HOUR_MS) % WEEK_HOURS;
  return h < 0 ? h + WEEK_HOURS : h;
}
