/**
 * A single self-rewriting progress line on stderr. Only used when stderr is a terminal, so cron
 * mails and CI logs stay clean and stdout stays pure data.
 */
import { coveredPercent, formatNumber, REPORT_LOCALE } from '../core/reportFacts';
import type { Progress } from '../core/types';

const n = (v: number): string => formatNumber(v, REPORT_LOCALE);

/** What a person reads: "page 12 · 11,800 events · 3,412 users · 46% of 2026-01 · waiting 12 s for rate limit". */
export function progressLine(p: Progress, month: string): string {
  const parts = [
    `page ${n(p.pages)}`,
    `${n(p.events)} events`,
    `${n(p.users)} users`,
    `${coveredPercent(p.covered)}% of ${month}`,
  ];
  if (p.rateLimitWaitMs > 0) parts.push(`waiting ${Math.ceil(p.rateLimitWaitMs / 1000)} s for rate limit`);
  return parts.join(' · ');
}

export interface ProgressWriter {
  update(p: Progress): void;
  /** Erases the line, so what follows starts on a clean row. */
  done(): void;
}

interface TtyStream {
  write(text: string): boolean;
  columns?: number;
}

/** Redraws at most every `intervalMs`; the core may report hundreds of times a second. */
export function ttyProgress(stream: TtyStream, month: string, intervalMs = 100, now = () => Date.now()): ProgressWriter {
  let last = 0;
  let drawn = false;
  return {
    update(p) {
      const t = now();
      if (drawn && t - last < intervalMs) return;
      last = t;
      // A pty without a size reports 0 columns: assume a classic 80.
      const width = Math.max(20, (stream.columns || 80) - 1);
      const line = progressLine(p, month).slice(0, width);
      stream.write(`\r\x1b[2K${line}`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}

export const silentProgress: ProgressWriter = { update() {}, done() {} };
