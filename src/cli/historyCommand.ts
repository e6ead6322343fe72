/** `okta-mau history`: reads the local cache only, so it needs no credential and makes no request. */
import { InvalidInputError } from '../core/errors';
import type { HistoryRequest } from './args';
import { definitionSuffix } from '../core/definition';
import { listCachedReports, resolveCacheDir } from './cache';
import type { Env } from './env';
import { formatHistory, historyRows } from './history';

export function runHistory(request: HistoryRequest, env: Env, out: (text: string) => void, warn: (line: string) => void): void {
  const dir = resolveCacheDir(request.cacheDir, env);
  const definition = { source: request.source, eventTypes: request.eventTypes };
  const { reports, unusable } = listCachedReports(dir, request.orgUrl, definition);
  for (const bad of unusable) warn(`ignored ${bad.path}: it ${bad.reason}`);
  if (reports.length === 0) {
    const what = definitionSuffix(definition) === '' ? '' : ' with these --source/--event-type options';
    throw new InvalidInputError(`no counts cached for ${request.orgUrl}${what} in ${dir}: run okta-mau count first`);
  }
  out(formatHistory(request.orgUrl, historyRows(reports), request.format));
}
