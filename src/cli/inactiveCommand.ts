/**
 * `okta-mau inactive`: the users who hold a licence without using it. With `--month`, those in a
 * billable status with no qualifying sign-in in that month (the month's cached count, or a count
 * made now and cached); with `--days N`, those whose last sign-in (Okta's `lastLogin`) is older than
 * N days or who never signed in, which reaches past the System Log's 90-day retention.
 *
 * The users are listed from the Users API incrementally: the cache keeps the last listing (per org
 * and credential), and the next run asks only for the users changed since (`--from-scratch` lists
 * every user). The output says which it was.
 */
import { CancelledError, currentMonth, maskSecrets, type MauReport } from '../core';
import { previousMonth } from '../core/history';
import { countedUpTo } from '../core/reportFacts';
import { formatInactive } from '../core/formatUsers';
import { visibleControls } from '../core/format';
import { describeDefinition } from '../core/definitions';
import { dormantFor, inactiveInMonth, listUsers, USERS_API } from '../core/users';
import { listingSummary, type UsersListing } from '../core/userListing';
import type { InactiveRequest } from './args';
import { readCachedReport, readUsersListing, resolveCacheDir, saveUsersListing, type UsersListingRead } from './cache';
import { countAndCache, rateMemoryIn, warnLine, type CountContext } from './countCommand';

export async function runInactive(request: InactiveRequest, ctx: CountContext): Promise<void> {
  const now = ctx.clock ? ctx.clock() : new Date();
  const warn = (line: string) => warnLine(ctx, line);
  const log = request.verbose ? (line: string) => void ctx.stderr.write(`${maskSecrets(line, ctx.secrets)}\n`) : undefined;
  const cacheDir = request.cache ? resolveCacheDir(request.cacheDir, ctx.env) : undefined;
  // A service app needs the Users API's scope too; a token asked for both reads both.
  const auth = ctx.auth.mode === 'PrivateKey' && !ctx.auth.scopes?.length ? { ...ctx.auth, scopes: ['okta.logs.read', USERS_API.scope] } : ctx.auth;

  let report: MauReport | undefined;
  if (request.days === undefined) {
    // The last complete month unless asked: a running month's "inactive" would shrink by the day.
    const month = request.month ?? previousMonth(currentMonth(now));
    // The definition of "active" asked for (`--definition`, `--event-type`): sign-ins by default.
    const definition = { source: 'logs' as const, ...(request.eventTypes ? { eventTypes: request.eventTypes } : {}) };
    const cached = cacheDir !== undefined ? readCachedReport(cacheDir, request.orgUrl, month, definition) : undefined;
    if (cached?.status === 'ok' && countedUpTo(cached.report) === undefined) {
      report = cached.report;
      log?.(`Using the cached count of ${month} made at ${report.countedAt}`);
    } else {
      if (cached?.status === 'unusable') warn(`ignored ${cached.path}: it ${cached.reason}; counting ${month} again`);
      log?.(`Counting ${month} first: the month's sign-ins decide who was active`);
      report = await countAndCache(
        { orgUrl: request.orgUrl, month, ...definition, verbose: request.verbose, cache: request.cache, cacheDir: request.cacheDir, sinceLast: cached?.status === 'ok' },
        { ...ctx, auth },
      );
    }
  }

  // The last listing, to ask Okta only for the users changed since; a file that is not one is set aside when the new one is saved.
  const cachedListing: UsersListingRead | undefined = cacheDir !== undefined ? readUsersListing(cacheDir, request.orgUrl, auth) : undefined;
  if (cachedListing?.status === 'unusable') warn(`ignored ${cachedListing.path}: it ${cachedListing.reason}; listing every user`);
  if (cachedListing?.status === 'ok' && request.fromScratch) log?.('Listing every user (--from-scratch)');
  let listing: UsersListing | undefined;
  const users = await listUsers({
    orgUrl: request.orgUrl,
    auth,
    statuses: request.statuses,
    retry: ctx.retry,
    signal: ctx.signal,
    log,
    ...rateMemoryIn(cacheDir, request.orgUrl, 'users', auth, warn),
    ...(cachedListing?.status === 'ok' && !request.fromScratch ? { previous: cachedListing.listing } : {}),
    // --days reads lastLogin, which must then be current (Okta does not say a sign-in moves lastUpdated).
    needsLastLogin: request.days !== undefined,
    onListing: (l) => (listing = l),
  });
  // A cancel that lands after the last page still means no listing, saved or printed.
  if (ctx.signal.aborted || !listing) throw new CancelledError();
  if (cacheDir !== undefined) saveListing(cacheDir, listing, cachedListing, auth, warn, log);
  const result = report ? inactiveInMonth(users, report, request.statuses, now) : dormantFor(users, request.orgUrl, request.days!, now, request.statuses);
  result.listing = listingSummary(listing);
  // A month's inactive users depend on what counted as active: the output names the count's definition.
  ctx.stdout.write(formatInactive(result, request.format, report ? { definition: describeDefinition(report) } : {}));
  // JSON carries `listing`; a CSV stays rows only.
  if (request.format === 'table') ctx.stdout.write(`${listingLine(listing)}\n`);
  if (report && !report.complete) warn(`the count of ${report.month} is partial (${report.partialReason ?? 'part of the month was not counted'}): some users listed may have signed in`);
}

/** `Users listed incrementally from the cached listing: 12 changed users read (…)` or `Users listed in full (…): why`, for the table. */
export function listingLine(l: UsersListing): string {
  const at = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  const requests = `${l.requests} ${l.requests === 1 ? 'request' : 'requests'} to the Users API`;
  if (l.incremental) {
    const signIns = l.lastLoginAsOf !== l.listedAt ? `; last sign-ins as of ${at(l.lastLoginAsOf)}` : '';
    return `Users listed incrementally from the cached listing: ${l.changed ?? 0} changed users read (${requests}; last full listing ${at(l.fullListedAt)}${signIns})`;
  }
  return `Users listed in full (${requests})${l.fullReason ? `: ${visibleControls(l.fullReason)}` : ''}`;
}

function saveListing(cacheDir: string, listing: UsersListing, existing: UsersListingRead | undefined, auth: CountContext['auth'], warn: (line: string) => void, log: ((line: string) => void) | undefined): void {
  try {
    const saved = saveUsersListing(cacheDir, auth, listing, existing);
    if (saved.setAside) log?.(`Set aside ${saved.setAside.path}: it ${saved.setAside.reason}`);
    log?.(`Saved the user listing in ${saved.path}`);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
    const path = existing?.path ?? 'the cache';
    const kept = existing?.status === 'ok' ? `the file still holds the listing made at ${existing.listing.listedAt}, which the next run continues from` : 'the next run will list every user';
    warn(`could not save the user listing in ${path} (${code}): ${kept}`);
  }
}
