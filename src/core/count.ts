import type { AuthConfig, CountOptions, MauReport, Progress } from './types';
import { CancelledError } from './errors';
import { normalizeOrgUrl } from './orgUrl';
import { monthWindow, retentionHorizon } from './month';
import { createSource, DEFAULT_EVENT_TYPES, DEFAULT_SOURCE, SYSTEM_LOG_API, validateEventTypes, type SignIn } from './sources';
import { ActivityAggregator } from './aggregate';
import { runSlices } from './slices';
import { throwIfAborted } from './sleep';
import { checkNumber, openSession } from './session';
import { buildReport, planRefresh } from './report';

/**
 * The Users API calls, from this module so that a host loading it lazily (the extension's
 * `dist/count.js`) gets them with the SDK parts it already carries, not in a bundle of their own.
 */
export { checkUsersAccess, listUsers } from './users';

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
  const kind = options.source ?? DEFAULT_SOURCE;
  const source = createSource(kind, eventTypes);
  const log = options.log ?? (() => {});
  const progress: Progress = { pages: 0, requests: 0, events: 0, users: 0, covered: 0, rateLimitWaitMs: 0 };
  const report = () => options.onProgress?.({ ...progress });
  const session = openSession({
    orgUrl,
    auth: options.auth,
    api: source.api,
    reservePercent: options.reservePercent,
    concurrency: options.maxConcurrency,
    retry: options.retry,
    signal: options.signal,
    log,
    rateMemory: options.rateMemory,
    onRateMemory: options.onRateMemory,
    onRateWait: (ms) => {
      progress.rateLimitWaitMs = ms;
      if (ms > 0) log(`Waiting ${Math.ceil(ms / 1000)} s for the rate-limit window to reset`);
      report();
    },
  });
  const { fetcher } = session;
  try {
    throwIfAborted(options.signal);
    // Nothing exists after "now": the current month is fetched up to now (plus CLOCK_SLACK_MS), and the
    // report says it covers up to now.
    const fetchUntil = Math.min(window.until.getTime(), now.getTime() + CLOCK_SLACK_MS);
    const coveredUntil = Math.min(window.until.getTime(), now.getTime());
    const aggregator = new ActivityAggregator(window.since.getTime());
    const overlapMs = checkNumber('The refresh overlap', options.refreshOverlapMs ?? DEFAULT_OVERLAP_MS, 0, 24 * 3_600_000, ' ms');
    const resume = planRefresh(options.resumeFrom, { orgUrl, month: window.month, source: kind, eventTypes });
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

    log(`Counting ${window.month} for ${orgUrl} from ${source.api.path} (${eventTypes.join(', ')})`);
    const memory = options.rateMemory;
    if (memory?.ceiling) log(`Staying under ${memory.ceiling} requests per window, what this credential got of a bucket of ${memory.bucketLimit} on ${memory.learnedAt}`);
    try {
      await runSlices({
        source,
        fetcher,
        orgOrigin: orgUrl,
        since: fetchFrom,
        until: fetchUntil,
        concurrency: session.concurrency,
        signal: session.signal,
        stop: session.stop,
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
      session.stop();
      if (options.signal?.aborted) throw new CancelledError();
      throw err;
    } finally {
      // Where the run left the credential's window, so a run right after it does not take a 429 there.
      session.close();
    }
    if (options.signal?.aborted) throw new CancelledError();

    const { users, dailyActiveUsers } = await aggregator.finish(window.days, options.signal);
    // A cancel during the final tally is a cancel too: no report, so no host saves or prints one.
    if (options.signal?.aborted) throw new CancelledError();
    // A refresh of a complete count stays complete while everything it fetched is still retained.
    const complete = resume.report ? resume.report.complete && fetchFrom >= retentionHorizon(now).getTime() : window.complete;
    log(`Counted ${users.length} active users from ${aggregator.events} events in ${fetcher.stats.pages} pages (${fetcher.stats.requests} requests)`);
    if (skippedEvents > 0) log(`Skipped ${skippedEvents} unreadable sign-in events (no user id, no event id or an unreadable time): they are not counted`);
    return buildReport({
      orgUrl,
      window,
      source: kind,
      eventTypes,
      complete,
      users,
      dailyActiveUsers,
      events: aggregator.events,
      skippedEvents,
      pages: fetcher.stats.pages,
      requests: fetcher.stats.requests,
      coveredUntil,
      incremental: resume.report !== undefined,
      overlapFrom,
      overlapUuids,
      started,
    });
  } finally {
    session.close();
  }
}

/**
 * Checks a credential with one small System Log request, so a host can refuse to store one that
 * cannot count. Throws `OktaAuthError` with what to fix on 401/403.
 */
export async function checkCredential(orgUrl: string, auth: AuthConfig, signal?: AbortSignal): Promise<void> {
  const session = openSession({ orgUrl, auth, api: SYSTEM_LOG_API, reservePercent: 0, concurrency: 1, retry: { maxRetries: 2, requestTimeoutMs: 30_000 }, signal });
  try {
    const until = new Date();
    const since = new Date(until.getTime() - 60 * 60_000);
    const q = new URLSearchParams({ since: since.toISOString(), until: until.toISOString(), limit: '1' });
    await session.fetcher.fetchPage(`${session.origin}${SYSTEM_LOG_API.path}?${q}`, 'one System Log event');
  } finally {
    session.close();
  }
}
