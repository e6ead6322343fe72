/**
 * The command line's local cache of reports: one JSON file per org, month and definition of
 * "active", so a scheduled `count --since-last` refreshes incrementally and `history` can show
 * months that have left the System Log's 90-day retention.
 *
 * The files hold user activity (logins, IP addresses): personal data, so directories are 0700
 * and files 0600. They never hold a credential: the report has none, and nothing else is written.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { credentialTag } from '../core/credentials';
import { definitionSuffix, type Definition } from '../core/definition';
import { visibleControls } from '../core/format';
import { normalizeOrgUrl } from '../core/orgUrl';
import { isSource } from '../core/sources';
import type { AuthConfig, MauReport, Source } from '../core/types';
import { parseRateMemory, type RateMemory } from '../core/rateBudget';
import { checkUsersListing, type UsersListing } from '../core/userListing';

/** Bumped when a file written by this version could be misread by an older one. */
export const CACHE_FORMAT_VERSION = 1;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Where reports go when neither `--cache-dir` nor `OKTA_MAU_CACHE_DIR` says: each platform's
 * per-user cache folder (XDG on Linux, ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows).
 */
export function defaultCacheDir(env: Env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA?.trim();
    return join(local ? local : join(home, 'AppData', 'Local'), 'okta-mau');
  }
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'okta-mau');
  // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
  const xdg = env.XDG_CACHE_HOME?.trim();
  return join(xdg && isAbsolute(xdg) ? xdg : join(home, '.cache'), 'okta-mau');
}

/** The directory given (`--cache-dir` or `OKTA_MAU_CACHE_DIR`, relative to the working directory), else the platform default. */
export function resolveCacheDir(given: string | undefined, env: Env): string {
  return given?.trim() ? resolve(given) : defaultCacheDir(env);
}

/** `https://acme.okta.com` → `acme.okta.com`; `http://127.0.0.1:8080` → `127.0.0.1_8080`. Safe on every filesystem. */
export function orgCacheKey(orgUrl: string): string {
  const url = new URL(orgUrl);
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/[^a-z0-9.-]/g, '_');
  return url.port ? `${host}_${url.port}` : host;
}

export function reportPath(dir: string, orgUrl: string, month: string, def: Definition): string {
  return join(dir, orgCacheKey(orgUrl), `${month}${definitionSuffix(def)}.json`);
}

export type CacheRead =
  | { status: 'missing'; path: string }
  | { status: 'ok'; path: string; report: MauReport }
  | { status: 'unusable'; path: string; reason: string };

/** Why a parsed file cannot be used, said as "it …"; undefined when it can. Checks the fields a refresh and `history` rely on; anything else is the core's business. */
function problemWith(doc: unknown, orgUrl: string, month: string): string | undefined {
  if (!doc || typeof doc !== 'object') return 'is not a cache file';
  const { formatVersion, report } = doc as { formatVersion?: unknown; report?: Partial<MauReport> };
  if (typeof formatVersion !== 'number') return 'is not a cache file';
  if (formatVersion > CACHE_FORMAT_VERSION) return `was written by a newer okta-mau (format ${formatVersion})`;
  if (formatVersion !== CACHE_FORMAT_VERSION) return `has an unknown format (${formatVersion})`;
  if (!report || typeof report !== 'object') return 'holds no report';
  if (report.orgUrl !== orgUrl) return `holds a count of another org (${shown(report.orgUrl)})`;
  if (report.month !== month) return `holds a count of another month (${shown(report.month)})`;
  const fieldsOk =
    typeof report.mau === 'number' &&
    typeof report.complete === 'boolean' &&
    typeof report.countedAt === 'string' &&
    typeof report.since === 'string' &&
    typeof report.until === 'string' &&
    Array.isArray(report.users) &&
    report.users.length === report.mau &&
    report.users.every((u) => u && typeof u.id === 'string');
  if (!fieldsOk) return 'holds a report with missing fields';
  const damaged = damagedField(report as MauReport);
  return damaged ? `holds a report whose ${damaged} is damaged` : undefined;
}

/** A value from a file, short and with its control characters made visible, for a warning. */
function shown(value: unknown): string {
  const text = String(value);
  return visibleControls(text.length > 100 ? `${text.slice(0, 99)}…` : text);
}

/**
 * The first field, of those a refresh (`countMau({ resumeFrom })`) and `history` read, that does not
 * hold what the core wrote there; undefined when all do. A refresh parses the checkpoint's and every
 * user's times, iterates the event types and merges the day masks, so a file damaged in any of them
 * would otherwise fail every `--since-last` run ("Invalid time value") until it was deleted by hand.
 */
function damagedField(r: MauReport): string | undefined {
  if (!isInstant(r.since) || !isInstant(r.until) || Date.parse(r.since) >= Date.parse(r.until)) return 'month range';
  if (!isInstant(r.countedAt)) return 'countedAt';
  if (r.fetchedUntil !== undefined && !isInstant(r.fetchedUntil)) return 'fetchedUntil';
  if (!isSource(r.source)) return 'source';
  if (!Array.isArray(r.eventTypes) || r.eventTypes.length === 0 || !r.eventTypes.every((t) => typeof t === 'string')) return 'eventTypes';
  if (!isCount(r.events)) return 'events';
  if (r.skippedEvents !== undefined && !isCount(r.skippedEvents)) return 'skippedEvents';
  if (r.partialReason !== undefined && typeof r.partialReason !== 'string') return 'partialReason';
  if (r.incremental !== undefined && typeof r.incremental !== 'boolean') return 'incremental';
  const c = r.checkpoint as Partial<MauReport['checkpoint']> | null | undefined;
  if (c !== undefined) {
    if (!c || typeof c !== 'object' || !isInstant(c.overlapFrom)) return 'checkpoint';
    if (!Array.isArray(c.overlapUuids) || !c.overlapUuids.every((u) => typeof u === 'string')) return 'checkpoint';
  }
  const ids = new Set<string>();
  for (const u of r.users) {
    if (!u.id || ids.has(u.id)) return 'list of users';
    ids.add(u.id);
    if (typeof u.login !== 'string' || typeof u.displayName !== 'string') return `user ${shown(u.id)}`;
    if (!isCount(u.sessions) || !isCount(u.activeDays) || u.activeDays > 31) return `user ${shown(u.id)}`;
    if (!isInstant(u.firstSeen) || !isInstant(u.lastSeen)) return `user ${shown(u.id)}`;
    if (u.dayMask !== undefined && !(Number.isInteger(u.dayMask) && u.dayMask >= 0 && u.dayMask <= 0xffffffff)) return `user ${shown(u.id)}`;
    if (u.lastClient !== undefined && !isClient(u.lastClient)) return `user ${shown(u.id)}`;
  }
  return undefined;
}

/** An instant exactly as `Date.toISOString` writes it (`2026-02-30…` is refused, not rolled over into March). */
function isInstant(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value)) return false;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && new Date(ms).toISOString() === value;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isClient(value: unknown): boolean {
  return !!value && typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((v) => v === undefined || typeof v === 'string');
}

type JsonFileRead = { status: 'missing' } | { status: 'unusable'; reason: string } | { status: 'ok'; doc: unknown };

/** One cache file read and parsed: missing (ENOENT), unusable (another read error, or not JSON), or its parsed value. */
function readJsonFile(path: string): JsonFileRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { status: 'missing' };
    return { status: 'unusable', reason: `cannot be read (${code ?? 'unknown error'})` };
  }
  try {
    return { status: 'ok', doc: JSON.parse(text) as unknown };
  } catch {
    return { status: 'unusable', reason: 'is not valid JSON' };
  }
}

export function readCachedFile(path: string, orgUrl: string, month: string): CacheRead {
  const read = readJsonFile(path);
  if (read.status !== 'ok') return { ...read, path };
  const doc = read.doc;
  const problem = problemWith(doc, orgUrl, month);
  if (problem) return { status: 'unusable', path, reason: problem };
  return { status: 'ok', path, report: (doc as { report: MauReport }).report };
}

export function readCachedReport(dir: string, orgUrl: string, month: string, def: Definition): CacheRead {
  return readCachedFile(reportPath(dir, orgUrl, month, def), orgUrl, month);
}

export interface CachedMonths {
  reports: MauReport[];
  unusable: { path: string; reason: string }[];
}

/** Every cached month of one org under one definition, oldest first. */
export function listCachedReports(dir: string, orgUrl: string, def: Definition): CachedMonths {
  const orgDir = join(dir, orgCacheKey(orgUrl));
  let names: string[];
  try {
    names = readdirSync(orgDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { reports: [], unusable: [] };
    return { reports: [], unusable: [{ path: orgDir, reason: `cannot be read (${(err as NodeJS.ErrnoException).code})` }] };
  }
  const suffix = definitionSuffix(def);
  const out: CachedMonths = { reports: [], unusable: [] };
  for (const name of names.sort()) {
    const month = /^(\d{4}-\d{2})(.*)\.json$/.exec(name);
    if (!month || month[2] !== suffix) continue;
    const read = readCachedFile(join(orgDir, name), orgUrl, month[1]);
    if (read.status === 'ok') out.reports.push(read.report);
    else if (read.status === 'unusable') out.unusable.push(read);
  }
  return out;
}

export interface CachedOrgs {
  /** The org URLs with a folder in the cache, in code-unit order. */
  orgUrls: string[];
  /** Folders holding count files of which none names its org. */
  unusable: { path: string; reason: string }[];
}

/**
 * The orgs present in a cache directory (for `history --all`). A folder is named after its org's host
 * (`orgCacheKey`), which loses the scheme, so the org URL is read from the newest count file in it that
 * names one: a normalized org URL whose folder is this one. Anything else in a file is untrusted and
 * left to `readCachedFile`. Folders with no count file (rate-limit memory only) are not orgs here.
 */
export function listCachedOrgs(dir: string): CachedOrgs {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { orgUrls: [], unusable: [] };
    return { orgUrls: [], unusable: [{ path: dir, reason: `cannot be read (${(err as NodeJS.ErrnoException).code})` }] };
  }
  const out: CachedOrgs = { orgUrls: [], unusable: [] };
  for (const key of entries.sort()) {
    const orgDir = join(dir, key);
    let names: string[];
    try {
      names = readdirSync(orgDir);
    } catch {
      continue; // a file, or a folder we may not read: not an org's folder
    }
    const counts = names.filter((name) => /^\d{4}-\d{2}.*\.json$/.test(name)).sort().reverse();
    if (counts.length === 0) continue;
    const orgUrl = counts.map((name) => orgUrlIn(join(orgDir, name), key)).find((url) => url !== undefined);
    if (orgUrl !== undefined) out.orgUrls.push(orgUrl);
    else out.unusable.push({ path: orgDir, reason: 'holds no count file that names its org' });
  }
  out.orgUrls.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return out;
}

/** The org URL a count file names, if it is an org URL as `okta-mau` writes it and belongs in the folder `key`. */
function orgUrlIn(path: string, key: string): string | undefined {
  try {
    const url = (JSON.parse(readFileSync(path, 'utf8')) as { report?: { orgUrl?: unknown } } | null)?.report?.orgUrl;
    return typeof url === 'string' && normalizeOrgUrl(url) === url && orgCacheKey(url) === key ? url : undefined;
  } catch {
    return undefined;
  }
}

export type CacheWrite =
  | { status: 'saved'; path: string; setAside?: { path: string; reason: string } }
  | { status: 'kept'; path: string; reason: string };

/**
 * Saves a report atomically (temp file, fsync, rename): a reader or a crash never sees half a file.
 * Two rules protect what cannot be fetched again: a complete count is not replaced by a partial one
 * (the month has since left retention), and an unusable file is renamed aside, never deleted.
 */
export function saveReport(dir: string, report: MauReport, def: Definition, existing?: CacheRead): CacheWrite {
  const path = reportPath(dir, report.orgUrl, report.month, def);
  const before = existing ?? readCachedFile(path, report.orgUrl, report.month);
  if (before.status === 'ok' && before.report.complete && !report.complete) {
    return { status: 'kept', path, reason: `the cached count of ${report.month} from ${before.report.countedAt} is complete and this one is partial` };
  }
  mkdirSync(join(dir, orgCacheKey(report.orgUrl)), { recursive: true, mode: 0o700 });
  let setAside: { path: string; reason: string } | undefined;
  if (before.status === 'unusable') {
    const aside = `${path}.unusable-${report.countedAt.replace(/[^0-9TZ]/g, '')}`;
    try {
      renameSync(path, aside);
      setAside = { path: aside, reason: before.reason };
    } catch {
      // Unreadable because it vanished or is locked: the rename of the new file below decides.
    }
  }
  writeFileAtomic(path, JSON.stringify({ formatVersion: CACHE_FORMAT_VERSION, report }));
  return { status: 'saved', path, ...(setAside ? { setAside } : {}) };
}

/**
 * Writes a file readable by its owner only, atomically and durably (temp file, fsync, rename): the file
 * at `path` is replaced only by a complete new one, so a full disk or a file size limit leaves the old
 * one as it was. A failure leaves no temp file behind.
 */
function writeFileAtomic(path: string, text: string): void {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    try {
      writeFully(fd, Buffer.from(text, 'utf8'));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (err) {
    try {
      unlinkSync(temp);
    } catch {
      // Renamed already, or never there: nothing to clean up.
    }
    throw err;
  }
}

/**
 * `writeSync` may write less than it was given (a disk filling up, a file size limit reached mid-way):
 * write the rest until it is all written, or fail.
 */
function writeFully(fd: number, bytes: Buffer): void {
  let written = 0;
  while (written < bytes.length) {
    const n = writeSync(fd, bytes, written, bytes.length - written);
    if (n <= 0) throw Object.assign(new Error(`the file system took none of the last ${bytes.length - written} bytes`), { code: 'EIO' });
    written += n;
  }
}

// Okta's per-token share belongs to one API token or service app: the memory is kept per credential,
// under the core's `credentialTag`, which names the credential without revealing it.
export { credentialTag };

function rateMemoryPath(dir: string, orgUrl: string, bucket: RateBucket, auth: AuthConfig): string {
  return join(dir, orgCacheKey(orgUrl), `rate-limit.${bucket}.${credentialTag(auth)}.json`);
}

/** What an earlier run learned of the rate limit this org gives the credential (see `RateMemory`), if anything usable. */
export function readRateMemory(dir: string, orgUrl: string, bucket: RateBucket, auth: AuthConfig): RateMemory | undefined {
  try {
    return parseRateMemory(JSON.parse(readFileSync(rateMemoryPath(dir, orgUrl, bucket, auth), 'utf8')));
  } catch {
    return undefined;
  }
}

/** Okta limits each API separately: a source's endpoint, or the Users API. */
export type RateBucket = Source | 'users';

export function saveRateMemory(dir: string, orgUrl: string, bucket: RateBucket, auth: AuthConfig, memory: RateMemory): void {
  mkdirSync(join(dir, orgCacheKey(orgUrl)), { recursive: true, mode: 0o700 });
  writeFileAtomic(rateMemoryPath(dir, orgUrl, bucket, auth), JSON.stringify(memory));
}

/**
 * Where `okta-mau inactive` keeps an org's user listing, so the next run asks Okta only for the users
 * changed since: one file per credential, as the rate memory, because what a token may list depends
 * on its admin's role. The file holds the users (logins, names, last sign-ins), never a credential.
 */
export function usersListingPath(dir: string, orgUrl: string, auth: AuthConfig): string {
  return join(dir, orgCacheKey(orgUrl), `users.${credentialTag(auth)}.json`);
}

export type UsersListingRead =
  | { status: 'missing'; path: string }
  | { status: 'ok'; path: string; listing: UsersListing }
  | { status: 'unusable'; path: string; reason: string };

/** The cached listing, checked field by field (`checkUsersListing`); a file that is not one is `unusable`, with why. */
export function readUsersListing(dir: string, orgUrl: string, auth: AuthConfig): UsersListingRead {
  const path = usersListingPath(dir, orgUrl, auth);
  const read = readJsonFile(path);
  if (read.status !== 'ok') return { ...read, path };
  const check = checkUsersListing(read.doc);
  if (!check.ok) return { status: 'unusable', path, reason: check.problem };
  if (check.listing.orgUrl !== normalizeOrgUrl(orgUrl)) return { status: 'unusable', path, reason: `holds a listing of another org (${shown(check.listing.orgUrl)})` };
  return { status: 'ok', path, listing: check.listing };
}

/**
 * Saves a listing atomically (temp file, fsync, rename), owner-only: a failure leaves the earlier file
 * as it was. An unusable earlier file (`existing`) is renamed aside first, never deleted.
 */
export function saveUsersListing(dir: string, auth: AuthConfig, listing: UsersListing, existing?: UsersListingRead): { path: string; setAside?: { path: string; reason: string } } {
  const path = usersListingPath(dir, listing.orgUrl, auth);
  mkdirSync(join(dir, orgCacheKey(listing.orgUrl)), { recursive: true, mode: 0o700 });
  let setAside: { path: string; reason: string } | undefined;
  if (existing?.status === 'unusable') {
    const aside = `${path}.unusable-${listing.listedAt.replace(/[^0-9TZ]/g, '')}`;
    try {
      renameSync(path, aside);
      setAside = { path: aside, reason: existing.reason };
    } catch {
      // Vanished or locked: the rename of the new file below decides.
    }
  }
  writeFileAtomic(path, JSON.stringify(listing));
  return { path, ...(setAside ? { setAside } : {}) };
}
