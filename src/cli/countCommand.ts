/**
 * `okta-mau count`: runs the core's count, continuing from the cached report with `--since-last`,
 * then saves the new report to the cache before printing it. Only a successful count reaches the
 * cache: a failed or cancelled run throws before `saveReport`, so the earlier report stays.
 */
import { CancelledError, countMau, currentMonth, maskSecrets, type AuthConfig, type MauReport, type RetryOptions } from '../core';
import { DEFAULT_TOP_USERS, formatReport, visibleControls } from '../core/format';
import { projectMonth, type ProjectionResult } from '../core/projection';
import { countedUpTo } from '../core/reportFacts';
import type { RateMemory } from '../core/rateBudget';
import { DEFAULT_SOURCE } from '../core/sources';
import type { CountRequest } from './args';
import { listCachedReports, readCachedFile, readCachedReport, readRateMemory, reportPath, resolveCacheDir, saveRateMemory, saveReport, type CacheRead, type RateBucket } from './cache';
import type { Env } from './env';
import { silentProgress, ttyProgress } from './progress';

interface Output {
  write(text: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

export interface CountContext {
  auth: AuthConfig;
  secrets: string[];
  retry?: RetryOptions;
  /** Test-only clock (OKTA_MAU_NOW); the real one otherwise. */
  clock?: () => Date;
  env: Env;
  signal: AbortSignal;
  stdout: Output;
  stderr: Output;
}

export async function runCount(request: CountRequest, ctx: CountContext): Promise<void> {
  const report = await countAndCache(request, ctx);
  ctx.stdout.write(formatReport(report, request.format, { top: request.allUsers ? Infinity : DEFAULT_TOP_USERS, projection: projectionFor(report, request, ctx) }));
  // The table says so itself; JSON has `complete`, but a CSV consumer would never know.
  if (!report.complete && request.format !== 'table') {
    warnLine(ctx, `partial count: ${report.partialReason ?? 'part of the month was not counted'}`);
  }
}

/** Where a running month will end, from the earlier months the cache holds of the org (the table and the JSON say so, or why not; a CSV has no place for it). */
function projectionFor(report: MauReport, request: CountRequest, ctx: CountContext): ProjectionResult | undefined {
  if (request.format === 'csv' || countedUpTo(report) === undefined) return undefined;
  if (!request.cache) return { kind: 'tooLittleHistory', reason: 'The earlier months a projection reads are in the cache, and --no-cache leaves it unread.' };
  const earlier = listCachedReports(resolveCacheDir(request.cacheDir, ctx.env), report.orgUrl, { source: request.source, eventTypes: request.eventTypes }).reports;
  return projectMonth(report, earlier.filter((r) => r.month < report.month));
}

/**
 * What earlier runs learned of the credential's rate limit for one bucket, and where this run keeps
 * what it learns: the cache (nothing without one). A failed write is one warning, never a failed run.
 */
export function rateMemoryIn(
  cacheDir: string | undefined,
  orgUrl: string,
  bucket: RateBucket,
  auth: AuthConfig,
  warn: (line: string) => void,
): { rateMemory?: RateMemory; onRateMemory?: (memory: RateMemory) => void } {
  if (cacheDir === undefined) return {};
  return {
    rateMemory: readRateMemory(cacheDir, orgUrl, bucket, auth),
    onRateMemory: (memory) => {
      try {
        saveRateMemory(cacheDir, orgUrl, bucket, auth, memory);
      } catch (err) {
        warn(`could not keep what was learned of the rate limit in ${cacheDir} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      }
    },
  };
}

export function warnLine(ctx: Pick<CountContext, 'stderr' | 'secrets'>, line: string): void {
  ctx.stderr.write(`okta-mau: warning: ${visibleControls(maskSecrets(line, ctx.secrets))}\n`);
}

/** Counts the request's month (continuing from the cache with `--since-last`) and saves the report to the cache. */
export async function countAndCache(request: Omit<CountRequest, 'command' | 'format' | 'allUsers'>, ctx: CountContext): Promise<MauReport> {
  const { stderr } = ctx;
  // Warnings carry what a cache file held: shown, never acted on, by the terminal.
  const warn = (line: string) => warnLine(ctx, line);
  const log = request.verbose ? (line: string) => void stderr.write(`${maskSecrets(line, ctx.secrets)}\n`) : undefined;
  // Fixing the month here, not in the core, means the cache file read and the one written are the same
  // even when a run straddles midnight at the end of a month.
  const month = request.month ?? currentMonth(ctx.clock ? ctx.clock() : new Date());
  const cacheDir = request.cache ? resolveCacheDir(request.cacheDir, ctx.env) : undefined;
  const definition = { source: request.source, eventTypes: request.eventTypes };

  let cached: CacheRead | undefined;
  if (cacheDir !== undefined && request.sinceLast) {
    cached = readCachedReport(cacheDir, request.orgUrl, month, definition);
    if (cached.status === 'unusable') {
      warn(`ignored ${cached.path}: it ${cached.reason}; counting the whole month`);
    } else if (cached.status === 'missing' && (request.verbose || stderr.isTTY)) {
      stderr.write(`okta-mau: no earlier count of ${month} in ${cacheDir}: counting the whole month\n`);
    }
  }
  const resumeFrom = cached?.status === 'ok' ? cached.report : undefined;

  // The progress line and the request log would overwrite each other; the log wins.
  const progress = stderr.isTTY && !request.verbose ? ttyProgress(stderr, month) : silentProgress;
  let report: MauReport;
  try {
    report = await countMau({
      orgUrl: request.orgUrl,
      auth: ctx.auth,
      month,
      ...(ctx.clock ? { now: ctx.clock } : {}),
      source: request.source,
      eventTypes: request.eventTypes,
      reservePercent: request.reservePercent,
      maxConcurrency: request.maxConcurrency,
      retry: ctx.retry,
      signal: ctx.signal,
      resumeFrom,
      // What an earlier run learned of this credential's real rate limit, so this one takes no 429 to learn it again.
      ...rateMemoryIn(cacheDir, request.orgUrl, request.source ?? DEFAULT_SOURCE, ctx.auth, warn),
      onProgress: (p) => progress.update(p),
      log,
    });
  } finally {
    progress.done();
  }
  // One rule, as in VS Code: a cancel that lands before the report is out means no report, saved or
  // printed (exit 130); once it is printed, the run has succeeded.
  if (ctx.signal.aborted) throw new CancelledError();

  if (cacheDir !== undefined) saveToCache(cacheDir, report, definition, cached, warn, log);
  return report;
}

/**
 * A cache that cannot be written does not spoil a count that succeeded: the report is still printed
 * (exit 0), and one warning line says what the cache still holds, so what the next `--since-last`
 * does. A save that fails part-way (a full disk, a file size limit) leaves the earlier file whole.
 */
function saveToCache(
  dir: string,
  report: MauReport,
  definition: { source: CountRequest['source']; eventTypes?: string[] },
  cached: CacheRead | undefined,
  warn: (line: string) => void,
  log: ((line: string) => void) | undefined,
): void {
  try {
    const saved = saveReport(dir, report, definition, cached);
    if (saved.status === 'kept') {
      warn(`not cached: ${saved.reason}`);
      return;
    }
    if (saved.setAside) warn(`${saved.path} was unusable (it ${saved.setAside.reason}): kept it as ${saved.setAside.path}`);
    log?.(`Saved the report to ${saved.path}`);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const path = reportPath(dir, report.orgUrl, report.month, definition);
    const still = readCachedFile(path, report.orgUrl, report.month);
    warn(
      still.status === 'ok'
        ? `could not save the count in ${path} (${e.code ?? e.message}): the file still holds the count made at ${still.report.countedAt}, which the next --since-last continues from`
        : `could not save the count in ${dir} (${e.code ?? e.message}): the next --since-last will count the whole month`,
    );
  }
}
