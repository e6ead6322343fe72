/** `okta-mau history`: reads the local cache only, so it needs no credential and makes no request. */
import { InvalidInputError } from '../core/errors';
import type { HistoryAllRequest, HistoryOrgRequest, HistoryRequest } from './args';
import { definitionSuffix, type Definition } from '../core/definition';
import { describeDefinition } from '../core/definitions';
import { previousMonth } from '../core/history';
import { currentMonth } from '../core/month';
import { backtestOnHistory } from '../core/projection';
import { DEFAULT_SOURCE } from '../core/sources';
import { listCachedOrgs, listCachedReports, readCachedReport, resolveCacheDir } from './cache';
import { clockFromEnv, type Env } from './env';
import { formatHistory, formatOrgsMonth, historyRows, orgsMonth } from './history';

export function runHistory(request: HistoryRequest, env: Env, out: (text: string) => void, warn: (line: string) => void): void {
  if ('allOrgs' in request) runHistoryOfAllOrgs(request, env, out, warn);
  else runHistoryOfOrg(request, env, out, warn);
}

/** " counted as Customer Identity (Okta's MAU billing)" for a definition other than the default, for messages. */
const countedAs = (definition: Definition): string =>
  definitionSuffix(definition) === '' ? '' : ` counted as ${describeDefinition(definition).name}`;

/** The options of `okta-mau count` that make a count of this definition: " --definition customer-identity". */
function countOptions(definition: Definition): string {
  if (definitionSuffix(definition) === '') return '';
  const { id } = describeDefinition(definition);
  if (!definition.eventTypes) return ` --source ${definition.source}`;
  const source = definition.source === DEFAULT_SOURCE ? '' : ` --source ${definition.source}`;
  return id === 'custom' ? `${source}${definition.eventTypes.map((t) => ` --event-type ${t}`).join('')}` : `${source} --definition ${id}`;
}

function runHistoryOfOrg(request: HistoryOrgRequest, env: Env, out: (text: string) => void, warn: (line: string) => void): void {
  const dir = resolveCacheDir(request.cacheDir, env);
  const definition = { source: request.source, eventTypes: request.eventTypes };
  const { reports, unusable } = listCachedReports(dir, request.orgUrl, definition);
  for (const bad of unusable) warn(`ignored ${bad.path}: it ${bad.reason}`);
  if (reports.length === 0) {
    throw new InvalidInputError(`no counts cached for ${request.orgUrl}${countedAs(definition)} in ${dir}: run okta-mau count${countOptions(definition)} first`);
  }
  const backtest = request.format === 'table' ? backtestOnHistory(reports) : undefined;
  out(formatHistory(request.orgUrl, historyRows(reports), request.format, describeDefinition(definition), backtest));
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
      `no org has a count of ${month}${countedAs(definition)} cached in ${dir} (${orgUrls.length} ${orgUrls.length === 1 ? 'org' : 'orgs'} cached): run okta-mau count --month ${month}${countOptions(definition)} first`,
    );
  }
  out(formatOrgsMonth(orgsMonth(month, orgs), request.format, describeDefinition(definition)));
}
