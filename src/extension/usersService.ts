/**
 * Lists an org's users through the core's `listUsers` (the Users API, its own rate-limit bucket):
 * at most one listing per org, each with its own AbortController, saved only once complete, so a
 * cancelled or failed listing never replaces the last good one. The saved listing is handed back as
 * the core's `previous`, so a listing asks only for the users changed since (`needsLastLogin`: the
 * dormant group reads `lastLogin`); one made with another credential or by an earlier version, or a
 * from-scratch listing, lists every user. Remembers, per org and for this window, the line that says
 * what to grant when the credential may not read the Users API.
 */
import * as vscode from 'vscode';
import { credentialTag } from '../core/credentials';
import { CancelledError, describeError, errorKind, InvalidInputError } from '../core/errors';
import { normalizeOrgUrl } from '../core/orgUrl';
import { parseRateMemory } from '../core/rateBudget';
import type { AuthConfig } from '../core/types';
import type { UsersListing } from '../core/userListing';
import { USERS_API } from '../core/users';
import { readSettings } from './config';
import { countModule } from './coreModule';
import type { Logger } from './log';
import { orgLabel, rateMemoryKey, type OrgEntry, type OrgStore } from './orgStore';
import { PROGRESS_INTERVAL_MS, ProgressThrottle } from './progressThrottle';
import { formatNumber, userCount } from './progressText';
import { planFrom, toCoreListing, toStoredListing } from './storedUsers';
import { accountTime } from './tree/nodes';
import type { UserListing, UserListStore } from './userListStore';

export interface ListingProgress {
  pages: number;
  /** Users read so far; of an incremental listing, the changed users Okta sent. */
  users: number;
  requests: number;
  /** The users read are the changes since the saved listing. */
  incremental?: boolean;
}

export interface ListingOptions {
  /** List every user, whatever the saved listing (Okta: List Users From Scratch). */
  fromScratch?: boolean;
}

export interface ListingRun {
  orgId: string;
  progress?: ListingProgress;
  /**
   * `page 3 · 600 users`; `updating the user list: 14 changed since Dec 2, 2026, 9:40 AM (UTC)` while
   * only the changes since the saved listing are read; "starting…" before the first page.
   */
  message: string;
  /** When the saved listing this one may build on started: what "changed since" counts from. */
  since?: string;
  /** Settles with the saved listing, or `undefined` when cancelled; rejects on failure. */
  done: Promise<UserListing | undefined>;
}

export interface ListingEvent {
  run: ListingRun;
  phase: 'started' | 'progress' | 'finished';
}

export class UsersService implements vscode.Disposable {
  private readonly runs = new Map<string, { run: ListingRun; controller: AbortController }>();
  private readonly refusals = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<ListingEvent>();
  /** 'started' and 'finished' at once; 'progress' at most once per `PROGRESS_INTERVAL_MS`. */
  readonly onDidChange = this.changed.event;
  private readonly accessChanged = new vscode.EventEmitter<string>();
  /** An org's Users API access became known (a refusal, or a listing that succeeded). */
  readonly onDidChangeAccess = this.accessChanged.event;

  constructor(
    private readonly orgs: OrgStore,
    private readonly store: UserListStore,
    private readonly log: Logger,
    /** Where what listings learned of the Users API's real rate limit is kept (global state). */
    private readonly memory?: vscode.Memento,
  ) {}

  dispose(): void {
    for (const { controller } of this.runs.values()) controller.abort();
    this.changed.dispose();
    this.accessChanged.dispose();
  }

  running(orgId: string): ListingRun | undefined {
    return this.runs.get(orgId)?.run;
  }

  cancel(orgId: string): boolean {
    const entry = this.runs.get(orgId);
    entry?.controller.abort(new CancelledError());
    return entry !== undefined;
  }

  /** The one line saying what to grant, when the org's credential was last refused the Users API in this window. */
  refusal(orgId: string): string | undefined {
    return this.refusals.get(orgId);
  }

  /** Records what a credential check or a listing found out about the org's Users API access. */
  noteAccess(orgId: string, refusal: string | undefined): void {
    if (refusal === this.refusals.get(orgId)) return;
    if (refusal === undefined) this.refusals.delete(orgId);
    else this.refusals.set(orgId, refusal);
    this.accessChanged.fire(orgId);
  }

  /** Starts a listing; the caller checks `running()` first (one listing per org at a time). */
  start(org: OrgEntry, options: ListingOptions = {}): ListingRun {
    if (this.runs.has(org.id)) throw new InvalidInputError(vscode.l10n.t('The users of {0} are already being listed.', orgLabel(org)));
    const controller = new AbortController();
    const run: ListingRun = { orgId: org.id, message: vscode.l10n.t('starting…'), done: Promise.resolve(undefined) };
    const throttle = new ProgressThrottle<ListingProgress>(PROGRESS_INTERVAL_MS, (p) => {
      run.progress = p;
      run.message = listingMessage(p, run.since);
      this.changed.fire({ run, phase: 'progress' });
    });
    run.done = this.list(org, run, options, controller.signal, (p) => throttle.push(p)).finally(() => {
      throttle.flush();
      throttle.dispose();
      this.runs.delete(org.id);
      this.changed.fire({ run, phase: 'finished' });
    });
    run.done.catch(() => undefined);
    this.runs.set(org.id, { run, controller });
    this.changed.fire({ run, phase: 'started' });
    return run;
  }

  private async list(org: OrgEntry, run: ListingRun, options: ListingOptions, signal: AbortSignal, onProgress: (p: ListingProgress) => void): Promise<UserListing | undefined> {
    const stored = await this.orgs.getAuth(org.id);
    if (!stored) throw new InvalidInputError(vscode.l10n.t('No credential is stored for {0}: run "Okta: Update Credential".', orgLabel(org)));
    const label = orgLabel(org);
    const settings = readSettings();
    const credential = credentialTag(stored);
    const plan = planFrom(await this.store.load(org.id), { credential, statuses: settings.licensedStatuses, fromScratch: options.fromScratch === true });
    run.since = plan.base?.listedAt;
    const how = plan.base ? `from the listing of ${plan.base.listedAt} if it can be built on` : `every user${plan.reason ? `: ${plan.reason}` : ''}`;
    this.log.info(`listing users of ${label} started (statuses ${plan.statuses.join(', ')}; ${how}; reserve ${settings.reservePercent}%)`);
    const started = Date.now();
    let made: UsersListing | undefined;
    try {
      await countModule().listUsers({
        orgUrl: org.orgUrl,
        auth: usersAuth(stored),
        statuses: plan.statuses,
        reservePercent: settings.reservePercent,
        signal,
        log: (line) => this.log.info(line),
        rateMemory: parseRateMemory(this.memory?.get(rateMemoryKey(org.id, 'users'))),
        onRateMemory: (memory) => void this.memory?.update(rateMemoryKey(org.id, 'users'), memory),
        onProgress,
        ...(plan.base ? { previous: toCoreListing(plan.base, normalizeOrgUrl(org.orgUrl)) } : {}),
        // The dormant group reads lastLogin: an incremental listing asks for the sign-ins since too.
        needsLastLogin: true,
        onListing: (l) => (made = l),
      });
      // A cancel that lands after the last page still means "the person did not want this listing".
      if (signal.aborted || !made) throw new CancelledError();
      const listing = toStoredListing(made, org.id, credential);
      const outcome = await this.store.save(org.id, listing);
      this.noteAccess(org.id, undefined);
      const what = made.incremental ? `incrementally, ${made.changed ?? 0} changed since the listing of ${plan.base?.listedAt}` : `in full${made.fullReason ? ` (${made.fullReason})` : ''}`;
      this.log.info(
        `listing users of ${label} finished ${what}: ${made.users.length} users, ${made.requests} requests in ${Date.now() - started} ms${outcome.saved ? '' : `; not saved, ${outcome.reason}`}`,
      );
      return outcome.saved ? listing : outcome.kept;
    } catch (err) {
      if (signal.aborted) {
        this.log.info(`listing users of ${label} cancelled`);
        return undefined;
      }
      if (errorKind(err) === 'auth') this.noteAccess(org.id, describeError(err, this.orgs.knownSecrets()));
      if (err && typeof err === 'object') Object.assign(err, { orgId: org.id });
      throw err;
    }
  }
}

/**
 * The credential as a listing uses it: a service app asks for the Users API's read scope alone, as
 * the core's `checkUsersAccess` does, so an app granted only `okta.logs.read` is told which scope it
 * lacks. Never more than read scopes.
 */
export function usersAuth(auth: AuthConfig): AuthConfig {
  return auth.mode === 'PrivateKey' && !auth.scopes?.length ? { ...auth, scopes: [USERS_API.scope] } : auth;
}

/** `page 3 · 600 users`; `updating the user list: 14 changed since Dec 2, 2026, 9:40 AM (UTC)` while reading the changes since the listing of `since`. */
export function listingMessage(p: ListingProgress, since?: string): string {
  if (p.incremental && since) return vscode.l10n.t('updating the user list: {0} changed since {1} (UTC)', formatNumber(p.users), accountTime(since, vscode.env.language || 'en'));
  return vscode.l10n.t('page {0} · {1}', formatNumber(p.pages), userCount(p.users));
}
