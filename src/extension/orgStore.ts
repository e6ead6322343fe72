/**
 * Orgs and their credentials. Everything that identifies an org (its URL) or authenticates to it
 * lives in `SecretStorage`: one JSON index under `oktaMau.orgs` plus one secret per org. Only the
 * active org's opaque id goes to `globalState`. Secrets are shared by every window, so the store
 * listens to `secrets.onDidChange` and re-announces changes made elsewhere.
 */
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { secretValues } from '../core/credentials';
import type { AuthConfig } from '../core/types';

export const INDEX_KEY = 'oktaMau.orgs';
const ACTIVE_KEY = 'oktaMau.activeOrgId';
const authKey = (id: string) => `oktaMau.org.${id}.auth`;
/** Every bucket whose rate memory belongs to an org's credential (see `rateMemoryKey`). */
const RATE_BUCKETS: readonly RateBucket[] = ['logs', 'users'];

export interface OrgEntry {
  /** Opaque and stable: derived from the normalised org URL, so re-adding an org updates it. */
  id: string;
  orgUrl: string;
  authMode: AuthConfig['mode'];
  addedAt: string;
}

export function orgIdFor(orgUrl: string): string {
  return createHash('sha256').update(orgUrl).digest('hex').slice(0, 16);
}

/** The host a person recognises, e.g. `acme.okta.com` or `127.0.0.1:8443`. */
export function orgLabel(org: Pick<OrgEntry, 'orgUrl'>): string {
  try {
    return new URL(org.orgUrl).host;
  } catch {
    return org.orgUrl;
  }
}

export class OrgStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly known = new Set<string>();
  private readonly subscription: vscode.Disposable;
  /** Writes are chained so two quick edits cannot lose each other's index update. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
  ) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key.startsWith('oktaMau.')) this.changed.fire();
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  /** Secrets seen so far in this window, for masking log lines and messages. */
  knownSecrets(): string[] {
    return [...this.known];
  }

  /** Masks a credential from now on, before it is even stored (e.g. while it is being checked). */
  remember(auth: AuthConfig): void {
    for (const s of secretValues(auth)) this.known.add(s);
  }

  async list(): Promise<OrgEntry[]> {
    const raw = await this.secrets.get(INDEX_KEY);
    if (!raw) return [];
    try {
      const parsed = JSON.parse(raw) as unknown;
      return Array.isArray(parsed) ? (parsed as OrgEntry[]).filter((o) => typeof o?.id === 'string' && typeof o?.orgUrl === 'string') : [];
    } catch {
      return [];
    }
  }

  async get(id: string): Promise<OrgEntry | undefined> {
    return (await this.list()).find((o) => o.id === id);
  }

  /** The org chosen with "Switch Org", or the first one when that is gone. */
  async active(): Promise<OrgEntry | undefined> {
    const orgs = await this.list();
    const id = this.state.get<string>(ACTIVE_KEY);
    return orgs.find((o) => o.id === id) ?? orgs[0];
  }

  async setActive(id: string): Promise<void> {
    await this.state.update(ACTIVE_KEY, id);
    this.changed.fire();
  }

  async getAuth(id: string): Promise<AuthConfig | undefined> {
    const raw = await this.secrets.get(authKey(id));
    if (!raw) return undefined;
    const auth = JSON.parse(raw) as AuthConfig;
    for (const s of secretValues(auth)) this.known.add(s);
    return auth;
  }

  /** Adds the org (or replaces its credential) and makes it the active one. */
  save(orgUrl: string, auth: AuthConfig): Promise<OrgEntry> {
    return this.serial(async () => {
      this.remember(auth);
      const id = orgIdFor(orgUrl);
      const orgs = await this.list();
      const previous = orgs.find((o) => o.id === id);
      const entry: OrgEntry = { id, orgUrl, authMode: auth.mode, addedAt: previous?.addedAt ?? new Date().toISOString() };
      await this.secrets.store(authKey(id), JSON.stringify(auth));
      // Okta's per-token share belongs to the credential: a new one learns its own.
      for (const bucket of RATE_BUCKETS) await this.state.update(rateMemoryKey(id, bucket), undefined);
      await this.secrets.store(INDEX_KEY, JSON.stringify([...orgs.filter((o) => o.id !== id), entry]));
      await this.state.update(ACTIVE_KEY, id);
      this.changed.fire();
      return entry;
    });
  }

  remove(id: string): Promise<void> {
    return this.serial(async () => {
      const orgs = await this.list();
      await this.secrets.delete(authKey(id));
      for (const bucket of RATE_BUCKETS) await this.state.update(rateMemoryKey(id, bucket), undefined);
      await this.secrets.store(INDEX_KEY, JSON.stringify(orgs.filter((o) => o.id !== id)));
      if (this.state.get<string>(ACTIVE_KEY) === id) await this.state.update(ACTIVE_KEY, undefined);
      this.changed.fire();
    });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** The Okta rate-limit buckets the extension spends: the System Log's (counts) and the Users API's (user listings). */
export type RateBucket = 'logs' | 'users';

/**
 * Where what counts (or user listings) learned of an org's real rate limit in one bucket is kept
 * (global state; no secret in it). The System Log's key is the one counts have always used.
 */
export function rateMemoryKey(orgId: string, bucket: RateBucket = 'logs'): string {
  return bucket === 'logs' ? `oktaMau.rateLimit.${orgId}` : `oktaMau.rateLimit.${orgId}.${bucket}`;
}
