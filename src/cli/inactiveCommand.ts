/**
 * `okta-mau inactive`: the users who hold a licence without using it. With `--month`, those in a
 * billable status with no qualifying sign-in in that month (the month's cached count, or a count
 * made now and cached); with `--days N`, those whose last sign-in (Okta's `lastLogin`) is older than
 * N days or who never signed in, which reaches past the System Log's 90-day retention.
 */
import { currentMonth, maskSecrets, type MauReport } from '../core';
import { previousMonth } from '../core/history';
import { countedUpTo } from '../core/reportFacts';
import { formatInactive } from '../core/formatUsers';
import { dormantFor, inactiveInMonth, listUsers, USERS_API } from '../core/users';
import type { InactiveRequest } from './args';
import { readCachedReport, resolveCacheDir } from './cache';
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
    const definition = { source: 'logs' as const };
    const cached = cacheDir !== undefined ? readCachedReport(cacheDir, request.orgUrl, month, definition) : undefined;
    if (cached?.status === 'ok' && countedUpTo(cached.report) === undefined) {
      report = cached.report;
      log?.(`Using the cached count of ${month} made at ${report.countedAt}`);
    } else {
      if (cached?.status === 'unusable') warn(`ignored ${cached.path}: it ${cached.reason}; counting ${month} again`);
      log?.(`Counting ${month} first: the month's sign-ins decide who was active`);
      report = await countAndCache({ orgUrl: request.orgUrl, month, source: 'logs', verbose: request.verbose, cache: request.cache, cacheDir: request.cacheDir, sinceLast: cached?.status === 'ok' }, { ...ctx, auth });
    }
  }

  const users = await listUsers({
    orgUrl: request.orgUrl,
    auth,
    statuses: request.statuses,
    retry: ctx.retry,
    signal: ctx.signal,
    log,
    ...rateMemoryIn(cacheDir, request.orgUrl, 'users', auth, warn),
  });
  const result = report ? inactiveInMonth(users, report, request.statuses, now) : dormantFor(users, request.orgUrl, request.days!, now, request.statuses);
  ctx.stdout.write(formatInactive(result, request.format));
  if (report && !report.complete) warn(`the count of ${report.month} is partial (${report.partialReason ?? 'part of the month was not counted'}): some users listed may have signed in`);
}
