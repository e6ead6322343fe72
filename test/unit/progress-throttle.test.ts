/**
 * The one throttle between a count's per-page progress and the tree, status bar, notification and
 * dashboard (`src/extension/progressThrottle.ts`), on a manual clock: the first value goes at once,
 * later ones at most once per interval, the newest waiting value is never lost, and no timer
 * outlives `dispose()`.
 */
import { strict as assert } from 'node:assert';
import { PROGRESS_INTERVAL_MS, ProgressThrottle, type ThrottleClock } from '../../src/extension/progressThrottle';

class ManualClock implements ThrottleClock {
  time = 0;
  private timers = new Map<number, { at: number; run: () => void }>();
  private next = 1;
  now(): number {
    return this.time;
  }
  setTimeout(run: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.set(id, { at: this.time + ms, run });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  get pendingTimers(): number {
    return this.timers.size;
  }
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].run();
    }
    this.time = end;
  }
}

function setup(interval = 500) {
  const clock = new ManualClock();
  const emitted: { value: number; at: number }[] = [];
  const throttle = new ProgressThrottle<number>(interval, (value) => emitted.push({ value, at: clock.now() }), clock);
  return { clock, emitted, throttle };
}

describe('ProgressThrottle', () => {
  it('updates every surface about twice a second', () => {
    assert.equal(PROGRESS_INTERVAL_MS, 500);
  });

  it('passes the first value on at once', () => {
    const { emitted, throttle } = setup();
    throttle.push(1);
    assert.deepEqual(emitted, [{ value: 1, at: 0 }]);
  });

  it('passes on at most one value per interval, always the newest', () => {
    const { clock, emitted, throttle } = setup();
    for (let page = 1; page <= 30; page++) {
      throttle.push(page);
      clock.advance(50);
    }
    clock.advance(1000);
    assert.deepEqual(emitted.map((e) => e.value), [1, 10, 20, 30]);
    for (let i = 1; i < emitted.length; i++) assert.ok(emitted[i]!.at - emitted[i - 1]!.at >= 500, `updates ${emitted[i - 1]!.at} and ${emitted[i]!.at} ms are too close`);
  });

  it('sends the last value before a pause when its interval is over', () => {
    const { clock, emitted, throttle } = setup();
    throttle.push(1);
    clock.advance(100);
    throttle.push(2);
    throttle.push(3);
    assert.deepEqual(emitted.map((e) => e.value), [1]);
    clock.advance(400);
    assert.deepEqual(emitted, [
      { value: 1, at: 0 },
      { value: 3, at: 500 },
    ]);
  });

  it('passes a value on at once after a quiet interval', () => {
    const { clock, emitted, throttle } = setup();
    throttle.push(1);
    clock.advance(700);
    throttle.push(2);
    assert.deepEqual(emitted, [
      { value: 1, at: 0 },
      { value: 2, at: 700 },
    ]);
  });

  it('flush() hands over the waiting value now and leaves no timer', () => {
    const { clock, emitted, throttle } = setup();
    throttle.push(1);
    throttle.push(2);
    assert.equal(clock.pendingTimers, 1);
    throttle.flush();
    assert.deepEqual(emitted.map((e) => e.value), [1, 2]);
    assert.equal(clock.pendingTimers, 0);
    throttle.flush();
    assert.deepEqual(emitted.map((e) => e.value), [1, 2], 'a second flush sent a value again');
  });

  it('after dispose() sends nothing and leaves no timer', () => {
    const { clock, emitted, throttle } = setup();
    throttle.push(1);
    throttle.push(2);
    throttle.dispose();
    assert.equal(clock.pendingTimers, 0);
    throttle.push(3);
    throttle.flush();
    clock.advance(2000);
    assert.deepEqual(emitted.map((e) => e.value), [1]);
    assert.equal(clock.pendingTimers, 0);
  });
});
