/**
 * The saved-result file format: `{ "formatVersion": 1, "report": … }`, the core's `MauReport` without
 * the org URL. Reading checks every field the tree, the status bar and the dashboard rely on, so a
 * truncated or hand-edited file is recognised as damaged instead of breaking a view; saving decides
 * which of two counts of the same month is worth keeping. No `vscode` import: plain data in and out.
 */
import { definitionSuffix } from '../core/definition';
import { isSource } from '../core/sources';
import type { MauReport, UserActivity } from '../core/types';
import { parseUsersLast, serialiseUsersLast } from './usersLastJson';

export type StoredReport = Omit<MauReport, 'orgUrl'>;

export const FORMAT_VERSION = 1;

interface StoredFile {
  formatVersion: typeof FORMAT_VERSION;
  report: StoredReport;
}

/** What a file holds: a usable report, a report of another definition, one of a newer version, or damage. */
export type StoredRead =
  | { kind: 'ok'; report: StoredReport }
  /** A valid report filed under another definition's name (the extension once saved every definition as `<month>.json`). */
  | { kind: 'misfiled'; report: StoredReport; suffix: string }
  | { kind: 'newer'; formatVersion: number }
  | { kind: 'damaged'; reason: string };

/** The definition a report was counted with, as its file-name suffix. */
export function suffixOf(report: Pick<MauReport, 'source' | 'eventTypes'>): string {
  return definitionSuffix({ source: report.source, eventTypes: report.eventTypes });
}

/** Checks and parses a saved file of `month`, expected to hold a count of the definition `suffix`. */
export async function readStored(bytes: Buffer, month: string, suffix: string): Promise<StoredRead> {
  let file: unknown;
  try {
    file = await parseUsersLast(bytes, 'report', checkUser);
  } catch (err) {
    return { kind: 'damaged', reason: err instanceof ReportShapeError ? err.message : 'it is not valid JSON (cut off or garbled)' };
  }
  const version = (file as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version > FORMAT_VERSION) return { kind: 'newer', formatVersion: version };
  const problem = problemWith(file, month);
  if (problem) return { kind: 'damaged', reason: problem };
  const report = (file as StoredFile).report;
  const actual = suffixOf(report);
  return actual === suffix ? { kind: 'ok', report } : { kind: 'misfiled', report, suffix: actual };
}

/**
 * Why the report on disk stays rather than `incoming`, or undefined when `incoming` may replace it.
 * Another window may have saved since this count started: a save never goes back to an older count,
 * and never replaces a complete count with a partial one (its early events have left the System Log)
 * unless the person said so.
 */
export function reasonToKeep(onDisk: StoredReport, incoming: StoredReport, replaceComplete = false): string | undefined {
  if (onDisk.complete && !incoming.complete && !replaceComplete) return `the saved count from ${onDisk.countedAt} is complete and this one is partial`;
  if (Date.parse(onDisk.countedAt) > Date.parse(incoming.countedAt)) return `the saved count from ${onDisk.countedAt} is newer than this one (${incoming.countedAt})`;
  return undefined;
}

/** Why a parsed file is not a usable report of `month`; undefined when it is. */
function problemWith(file: unknown, month: string): string | undefined {
  if (!isObject(file) || file.formatVersion !== FORMAT_VERSION) return 'it is not a saved count';
  const r = file.report;
  if (!isObject(r)) return 'it holds no report';
  if (r.month !== month) return `it holds a count of another month (${String(r.month)})`;
  const fields =
    isCount(r.mau) &&
    typeof r.complete === 'boolean' &&
    (r.partialReason === undefined || typeof r.partialReason === 'string') &&
    isInstant(r.since) &&
    isInstant(r.until) &&
    (r.fetchedUntil === undefined || isInstant(r.fetchedUntil)) &&
    isInstant(r.countedAt) &&
    (r.incremental === undefined || typeof r.incremental === 'boolean') &&
    (r.checkpoint === undefined || isCheckpoint(r.checkpoint)) &&
    isSource(r.source) &&
    Array.isArray(r.eventTypes) &&
    r.eventTypes.every((t) => typeof t === 'string') &&
    isCount(r.events) &&
    isCount(r.pages) &&
    isCount(r.requests) &&
    Array.isArray(r.dailyActiveUsers) &&
    r.dailyActiveUsers.every(isCount) &&
    Array.isArray(r.users) &&
    r.users.length === r.mau;
  return fields ? undefined : 'it holds a report with missing or malformed fields';
}

/** The fields of a user the views read; anything else is optional detail. */
function checkUser(u: unknown): UserActivity {
  const ok =
    isObject(u) &&
    typeof u.id === 'string' &&
    typeof u.login === 'string' &&
    typeof u.displayName === 'string' &&
    isCount(u.sessions) &&
    isCount(u.activeDays) &&
    typeof u.firstSeen === 'string' &&
    typeof u.lastSeen === 'string' &&
    (u.lastClient === undefined || isObject(u.lastClient)) &&
    (u.dayMask === undefined || isCount(u.dayMask));
  if (!ok) throw new ReportShapeError('it holds a user with missing or malformed fields');
  return u as unknown as UserActivity;
}

class ReportShapeError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isInstant = (v: unknown): v is string => typeof v === 'string' && Number.isFinite(Date.parse(v));
const isCheckpoint = (v: unknown): boolean => isObject(v) && isInstant(v.overlapFrom) && Array.isArray(v.overlapUuids) && v.overlapUuids.every((id) => typeof id === 'string');

/**
 * The stored file's JSON as UTF-8 parts, a chunk of users stringified and encoded per turn of the event
 * loop: one `JSON.stringify` of the report, or one encoding of its text (~10 MB for 40,000 users), held
 * the extension host for 40–110 ms.
 */
export async function serialise(report: StoredReport): Promise<Buffer[]> {
  return serialiseUsersLast(FORMAT_VERSION, 'report', report);
}
