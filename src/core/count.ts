import { DEFAULT_RESERVE_PERCENT, RESERVE_PERCENT_RANGE, type AuthConfig, type CountOptions, type MauReport, type Progress } from './types';
import { CancelledError, InvalidInputError } from './errors';
import { normalizeOrgUrl } from './orgUrl';
import { monthWindow, retentionHorizon } from './month';
import { createOktaClient } from './oktaClient';
import { PageFetcher } from './pageFetcher';
import { RateBudget } from './rateBudget';
import { createSource, DEFAULT_EVENT_TYPES, validateEventTypes, type SignIn } from './sources';
import { ActivityAggregator } from './aggregate';
import { runSlices } from './slices';
import { throwIfAborted } from './sleep';

/** Allowance for a server clock ahead of ours when the current month is clamped to "now". */
const CLOCK_SLACK_MS = 5 * 60_000;
/** The System Log can publish an event a little after its `published` time: a refresh looks back this far. */
const DEFAULT_OVERLAP_MS = 10 * 60_000;

/**
 * Counts a month's active users: distinct users with a successful sign-in event of the configured types
 * in [first instant of the month, first instant of the next month), UTC.
 */
export async function countMau(options: CountOptions): Promise<MauReport> {
  const started = Date.now();
  const now = (options.now ?? (() => new Date()))();
  const orgUrl = normalizeOrgUrl(options.orgUrl);
  const window = monthWindow(options.month, now);
  const eventTypes = validateEventTypes(options.eventTypes ?? DEFAULT_EVENT_TYPES);
  const source = createSource(options.source ?? 'logs', eventTypes);
  const reservePercent = checkNumber('The rate-limit reserve', options.reservePercent ?? DEFAULT_RESERVE_PERCENT, RESERVE_PERCENT_RANGE.min, RESERVE_PERCENT_RANGE.max, '%');
  const concurrency = Math.round(checkNumber('The concurrency', options.maxConcurrency ?? 8, 1, 32, ''));
  throwIfAborted(options.signal);

  const client = createOktaClient(orgUrl, options.auth);
  const log = options.log ?? (() => {});
  // One controller for the run: the caller's cancel, or the first hard failure, stops every request.
  const run = new AbortController();
  const onCallerAbort = () => run.abort();
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });

  // Nothing exists after "now": the current month is fetched up to now (plus CLOCK_SLACK_MS), and the
  // report says it covers up to now.
  const fetchUntil = Math.min(window.until.getTime(), now.getTime() + CLOCK_SLACK_MS);
  const coveredUntil = Math.min(window.until.getTime(), now.getTime());
  const aggregator = new ActivityAggregator(window.since.getTime());
  const overlapMs = checkNumber('The refresh overlap', options.refreshOverlapMs ?? DEFAULT_OVERLAP_MS, 0, 24 * 3_600_000, ' ms');
  const resume = planRefresh(options.resumeFrom, { orgUrl, month: window.month, source: source.kind, eventTypes });
  let fetchFrom = window.since.getTime();
  let skip = new Set<string>();
  if (resume.report) {
    const previous = resume.report;
    fetchFrom = Math.max(fetchFrom, Date.parse(previous.checkpoint!.overlapFrom));
    skip = new Set(previous.checkpoint!.overlapUuids);
    aggregator.seed(previous.users, previous.events);
    log(`Refreshing ${window.month} from ${new Date(fetchFrom).toISOString()} (the earlier count went to ${previous.fetchedUntil})`);
  } else if (resume.why) {
    log(`Counting the whole month: ${resume.why}`);
  }
  // The next refresh starts here; it lies inside what this run fetches, so this run sees every event it must skip.
  const overlapFrom = Math.max(fetchFrom, coveredUntil - overlapMs);
  const overlapUuids: string[] = [];
  // Events that would count but cannot be read: the report says how many, rather than hide them.
  let skippedEvents = resume.report?.skippedEvents ?? 0;
  const onSignIn = (s: SignIn) => {
    if (s.published >= overlapFrom) overlapUuids.push(s.uuid);
    if (!skip.has(s.uuid)) aggregator.add(s);
  };
  const progress: Progress = { pages: 0, requests: 0, events: 0, users: 0, covered: 0, rateLimitWaitMs: 0 };
  const report = () => options.onProgress?.({ ...progress });
  const budget = new RateBudget(
    reservePercent,
    concurrency,
    Date.now,
    (ms) => {
      progress.rateLimitWaitMs = ms;
      if (ms > 0) log(`Waiting ${Math.ceil(ms / 1000)} s for the rate-limit window to reset`);
      report();
    },
    { memory: options.rateMemory, onLearn: options.onRateMemory, label: `${new URL(orgUrl).host} ${source.path}` },
  );
  const fetcher = new PageFetcher({
    client,
    orgOrigin: orgUrl,
    authMode: options.auth.mode,
    budget,
    retry: options.retry,
    signal: run.signal,
    log,
    onFatal: () => run.abort(),
  });

  log(`Counting ${window.month} for ${orgUrl} from ${source.path} (${eventTypes.join(', ')})`);
  const memory = options.rateMemory;
  if (memory?.ceiling) log(`Staying under ${memory.ceiling} requests per window, what this credential got of a bucket of ${memory.bucketLimit} on ${memory.learnedAt}`);
  try {
    await runSlices({
      source,
      fetcher,
      orgOrigin: orgUrl,
      since: fetchFrom,
      until: fetchUntil,
      concurrency,
      signal: run.signal,
      stop: () => run.abort(),
      log,
      onMalformed: () => skippedEvents++,
      onSignIn,
      onPage: (covered) => {
        progress.pages = fetcher.stats.pages;
        progress.requests = fetcher.stats.requests;
        progress.events = aggregator.events;
        progress.users = aggregator.userCount;
        progress.covered = covered;
        report();
      },
    });
  } catch (err) {
    run.abort();
    if (options.signal?.aborted) throw new CancelledError();
    throw err;
  } finally {
    options.signal?.removeEventListener('abort', onCallerAbort);
    // Where the run left the credential's window, so a run right after it does not take a 429 there.
    const memory = budget.memoryAtEnd();
    if (memory) options.onRateMemory?.(memory);
  }
  if (options.signal?.aborted) throw new CancelledError();

  const { users, dailyActiveUsers } = await aggregator.finish(window.days, options.signal);
  // A cancel during the final tally is a cancel too: no report, so no host saves or prints one.
  if (options.signal?.aborted) throw new CancelledError();
  // A refresh of a complete count stays complete while everything it fetched is still retained.
  const complete = resume.report ? resume.report.complete && fetchFrom >= retentionHorizon(now).getTime() : window.complete;
  log(`Counted ${users.length} active users from ${aggregator.events} events in ${fetcher.stats.pages} pages (${fetcher.stats.requests} requests)`);
  if (skippedEvents > 0) log(`Skipped ${skippedEvents} unreadable sign-in events (no user id, no event id or an unreadable time): they are not counted`);
  return {
    orgUrl,
    month: window.month,
    since: window.since.toISOString(),
    until: window.until.toISOString(),
    source: source.kind,
    eventTypes,
    mau: users.length,
    complete,
    partialReason: complete ? undefined : window.partialReason,
    events: aggregator.events,
    skippedEvents,
    pages: fetcher.stats.pages,
    requests: fetcher.stats.requests,
    dailyActiveUsers,
    users,
    fetchedUntil: new Date(coveredUntil).toISOString(),
    incremental: resume.report !== undefined,
    checkpoint: {
      overlapFrom: new Date(overlapFrom).toISOString(),
      overlapUuids,
    },
    countedAt: new Date().toISOString(),
    durationMs: Date.now() - started,
  };
}

/**
 * Checks a credential with one small System Log request, so a host can refuse to store one that
 * cannot count. Throws `OktaAuthError` with what to fix on 401/403.
 */
export async function checkCredential(orgUrl: string, auth: AuthConfig, signal?: AbortSignal): Promise<void> {
  const origin = normalizeOrgUrl(orgUrl);
  const client = createOktaClient(origin, auth);
  const budget = new RateBudget(0, 1, Date.now, undefined, { label: `${new URL(origin).host} /api/v1/logs` });
  const fetcher = new PageFetcher({ client, orgOrigin: origin, authMode: auth.mode, budget, retry: { maxRetries: 2, requestTimeoutMs: 30_000 }, signal });
  const until = new Date();
  const since = new Date(until.getTime() - 60 * 60_000);
  const q = new URLSearchParams({ since: since.toISOString(), until: until.toISOString(), limit: '1' });
  await fetcher.fetchPage(`${origin}/api/v1/logs?${q}`, 'one System Log event');
}

interface RefreshPlan {
  report?: MauReport;
  why?: string;
}

/** Whether an earlier report can be extended, and if not, why (for the log). */
function planRefresh(previous: MauReport | undefined, run: { orgUrl: string; month: string; source: string; eventTypes: string[] }): RefreshPlan {
  if (!previous) return {};
  if (previous.orgUrl !== run.orgUrl) return { why: 'the earlier count is of another org' };
  if (previous.month !== run.month) return { why: `the earlier count is of ${previous.month}` };
  if (previous.source !== run.source) return { why: 'the earlier count used another source' };
  if ([...previous.eventTypes].sort().join() !== [...run.eventTypes].sort().join()) return { why: 'the event types changed' };
  if (!previous.checkpoint || !previous.fetchedUntil || previous.users.some((u) => u.dayMask === undefined)) {
    return { why: 'the earlier count has no refresh checkpoint' };
  }
  return { report: previous };
}

function checkNumber(what: string, value: number, min: number, max: number, unit: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new InvalidInputError(`${what} must be a number from ${min}${unit} to ${max}${unit} (got ${String(value)})`);
  }
  return value;
}
