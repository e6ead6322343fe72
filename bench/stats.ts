/** Summaries of repeated measurements: the median is the headline, min–max shows the spread. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function summarize(values: number[]): Summary {
  if (values.length === 0) return { median: NaN, min: NaN, max: NaN, runs: [] };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: values };
}

/** `12.3 s (12.1–12.9)` style, with a unit formatter. */
export function spread(s: Summary, fmt: (v: number) => string): string {
  if (!Number.isFinite(s.median)) return 'n/a';
  if (s.runs.length === 1) return fmt(s.median);
  return `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
export const millis = (ms: number): string => `${ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0)} ms`;
export const megabytes = (mb: number): string => `${mb.toFixed(0)} MB`;
export const perSecond = (n: number): string => `${Math.round(n).toLocaleString('en-US')}/s`;
export const ratio = (r: number): string => `${r.toFixed(2)}×`;
export const count = (n: number): string => Math.round(n).toLocaleString('en-US');
