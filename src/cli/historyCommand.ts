/** `okta-mau history`: reads the local cache only, so it needs no credential and makes no request. */
import { InvalidInputError } from '../core/errors';
import type { HistoryAllRequest, HistoryOrgRequest, HistoryRequest } from './args';
import { definitionSuffix, type Definition } from '../core/definition';
import { previousMonth } from '../core/history';
import { currentMonth } from '../core/month';
import { listCachedOrgs, listCachedReports, readCachedReport, resolveCacheDir } from './cache';
import { clockFromEnv, type Env } from './env';
import { formatHistory, formatOrgsMonth, historyRows, orgsMonth } from './history';

export function runHistory(request: HistoryRequest, env: Env, out: (text: string) => void, warn: (line: string) => void): void {
  if ('allOrgs' in request) runHistoryOfAllOrgs(request, env, out, warn);
  else runHistoryOfOrg(request, env, out, warn);
}

const withOptions = (definition: Definition): string =>
  definitionSuffix(definition) === '' ? '' : ' with these --source/--event-type options';

function runHistoryOfOrg(request: HistoryOrgRequest, env: Env, out: (text: string) => void, warn: (line: string) => void): void {
  const dir = resolveCacheDir(request.cacheDir, env);
  const definition = { source: request.source, eventTypes: request.eventTypes };
  const { reports, unusable } = listCachedReports(dir, request.orgUrl, definition);
  for (const bad of unusable) warn(`ignored ${bad.path}: it ${bad.reason}`);
  if (reports.length === 0) {
    throw new InvalidInputError(`no counts cached for ${request.orgUrl}${withOptions(definition)} in ${dir}: run okta-mau count first`);
  }
  out(formatHistory(request.orgUrl, historyRows(reports), request.format));
}

/**
 * One month of every org in the cache. The default month is the last complete UTC month (as for
 * `inactive`): the running month's counts are to date, each up to its own instant, and a total of
 * those would add numbers of different spans.
 */
function runHistoryOfAllOrgs(request: HistoryAllRequest, env: Env, out: (text: string) => void, warn: (line: string) => void): void {
  const dir = resolveCacheDir(request.cacheDir, env);
  const definition = { source: request.source, eventTypes: request.eventTypes };
  const now = (clockFromEnv(env) ?? (() => new Date()))();
  const month = request.month ?? previousMonth(currentMonth(now));
  const { orgUrls, unusable } = listCachedOrgs(dir);
  for (const bad of unusable) warn(`ignored ${bad.path}: it ${bad.reason}`);
  if (orgUrls.length === 0) throw new InvalidInputError(`no counts cached in ${dir}: run okta-mau count first`);
  const orgs = orgUrls.map((orgUrl) => {
    const read = readCachedReport(dir, orgUrl, month, definition);
    if (read.status === 'unusable') warn(`ignored ${read.path}: it ${read.reason}`);
    return read.status === 'ok' ? { orgUrl, report: read.report } : { orgUrl };
  });
  if (orgs.every((o) => o.report === undefined)) {
    throw new InvalidInputError(
      `no org has a count of ${month}${withOptions(definition)} cached in ${dir} (${orgUrls.length} ${orgUrls.length === 1 ? 'org' : 'orgs'} cached): run okta-mau count --month ${month} first`,
    );
  }
  out(formatOrgsMonth(orgsMonth(month, orgs), request.format));
}
