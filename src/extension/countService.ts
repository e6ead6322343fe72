/**
 * Runs counts: at most one per org, each with its own AbortController, results saved only when a
 * count finishes (so a cancelled or failed run never replaces the last complete result). The core's
 * count module, and with it the Okta SDK, is imported on first use to keep activation fast.
 */
import * as vscode from 'vscode';
import { definitionSuffix } from '../core/definition';
import { CancelledError, InvalidInputError } from '../core/errors';
import { normalizeOrgUrl } from '../core/orgUrl';
import { parseRateMemory } from '../core/rateBudget';
import { countedUpTo } from '../core/reportFacts';
import type { MauReport, Progress } from '../core/types';
import { countDefinition, readSettings } from './config';
import type { Logger } from './log';
import { orgLabel, rateMemoryKey, type OrgEntry, type OrgStore } from './orgStore';
import { PROGRESS_INTERVAL_MS, ProgressThrottle } from './progressThrottle';
import { progressMessage } from './progressText';
import type { ResultStore, StoredReport } from './resultStore';
import { countModule } from './coreModule';

export interface RunState {
  orgId: string;
  month: string;
  /** Started by auto-refresh: progress belongs in the status bar, failures in the log. */
  background: boolean;
  /**
   * The progress every surface shows (tree, status bar, notification, dashboard): the one last sent
   * with a 'progress' event, not the newest page, so all of them read the same numbers.
   */
  progress?: Progress;
  /** `progress` as the human-readable line ("page 12 · … · 46% of November"), or "starting…" before any. */
  message: string;
  startedAt: number;
  /** Extends the saved count with only what was published since it (decided when the run starts). */
  incremental: boolean;
  /** Settles with the report, or `undefined` when cancelled; rejects on failure. */
  done: Promise<MauReport | undefined>;
}

export interface StartOptions {
  /** Started by auto-refresh rather than by a person. */
  background: boolean;
  /** Ignore the saved count and fetch the whole month again. */
  fromScratch?: boolean;
  /** The person confirmed replacing a complete count with a partial one. */
  replaceComplete?: boolean;
}

/**
 * 'started' and 'finished' are sent at once; 'progress' at most once per `PROGRESS_INTERVAL_MS`
 * (the first of a run at once, the newest waiting one just before 'finished'). Surfaces redraw on
 * these events and throttle nothing themselves.
 */
export interface RunEvent {
  state: RunState;
  phase: 'started' | 'progress' | 'finished';
}

export class CountService implements vscode.Disposable {
  private readonly runs = new Map<string, { state: RunState; controller: AbortController; progress: ProgressThrottle<Progress> }>();
  private readonly changed = new vscode.EventEmitter<RunEvent>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly orgs: OrgStore,
    private readonly results: ResultStore,
    private readonly log: Logger,
    /** Where what a count learned of an org's real rate limit is kept for the next count (global state). */
    private readonly memory?: vscode.Memento,
  ) {}

  dispose(): void {
    for (const run of this.runs.values()) {
      run.progress.dispose();
      run.controller.abort();
    }
    this.changed.dispose();
  }

  running(orgId: string): RunState | undefined {
    return this.runs.get(orgId)?.state;
  }

  cancel(orgId: string): boolean {
    const run = this.runs.get(orgId);
    run?.controller.abort(new CancelledError());
    return run !== undefined;
  }

  /** Starts a count; the caller checks `running()` first (one count per org at a time). */
  start(org: OrgEntry, month: string, options: StartOptions): RunState {
    if (this.runs.has(org.id)) throw new InvalidInputError(vscode.l10n.t('A count for {0} is already running.', orgLabel(org)));
    const controller = new AbortController();
    const state: RunState = {
      orgId: org.id,
      month,
      background: options.background,
      message: vscode.l10n.t('starting…'),
      startedAt: Date.now(),
      incremental: false,
      done: Promise.resolve(undefined),
    };
    const progress = new ProgressThrottle<Progress>(PROGRESS_INTERVAL_MS, (p) => {
      state.progress = p;
      state.message = progressMessage(p, month);
      this.changed.fire({ state, phase: 'progress' });
    });
    // The last page (everything covered) goes out at once: the surfaces read 100% while the report
    // is tallied and saved, rather than up to an interval later.
    const onProgress = (p: Progress) => {
      progress.push(p);
      if (p.covered >= 1) progress.flush();
    };
    state.done = this.run(org, state, controller.signal, options, onProgress).finally(() => {
      // The newest numbers go out before 'finished' (the last page's 100%); then no timer is left.
      progress.flush();
      progress.dispose();
      this.runs.delete(org.id);
      this.changed.fire({ state, phase: 'finished' });
    });
    // The promise is observed by whoever awaits `done`; this keeps an unobserved failure quiet.
    state.done.catch(() => undefined);
    this.runs.set(org.id, { state, controller, progress });
    this.changed.fire({ state, phase: 'started' });
    return state;
  }

  private async run(org: OrgEntry, state: RunState, signal: AbortSignal, options: StartOptions, onProgress: (p: Progress) => void): Promise<MauReport | undefined> {
    const auth = await this.orgs.getAuth(org.id);
    if (!auth) throw new InvalidInputError(vscode.l10n.t('No credential is stored for {0}: run "Okta: Update Credential".', orgLabel(org)));
    const settings = readSettings();
    const label = orgLabel(org);
    // The saved count of the definition this run counts with, even if the setting changes meanwhile.
    const suffix = definitionSuffix(countDefinition(settings));
    const saved = settings.incrementalRefresh && !options.fromScratch ? await this.results.load(org.id, state.month, suffix) : undefined;
    const resumeFrom = saved && resumable(saved) ? { ...saved, orgUrl: normalizeOrgUrl(org.orgUrl) } : undefined;
    state.incremental = resumeFrom !== undefined;
    const mode = resumeFrom ? `refresh from ${resumeFrom.fetchedUntil}` : options.fromScratch ? 'from scratch' : 'full';
    this.log.info(`count ${label} ${state.month} started (${state.background ? 'background' : 'foreground'}, ${mode}; events: ${settings.eventTypes.join(', ')}; reserve ${settings.reservePercent}%)`);
    const { countMau } = countModule();
    try {
      const report = await countMau({
        orgUrl: org.orgUrl,
        auth,
        month: state.month,
        eventTypes: settings.eventTypes,
        reservePercent: settings.reservePercent,
        // The core checks org, month, source and event types, and counts in full (logged) when they differ.
        resumeFrom,
        signal,
        rateMemory: parseRateMemory(this.memory?.get(rateMemoryKey(org.id))),
        onRateMemory: (memory) => void this.memory?.update(rateMemoryKey(org.id), memory),
        log: (line) => this.log.info(line),
        onProgress,
      });
      // An abort that lands after the last page still means "the user did not want this result".
      if (signal.aborted) throw new CancelledError();
      const saved = await this.results.save(org.id, report, { replaceComplete: options.replaceComplete });
      if (!saved.saved) this.log.info(`count ${label} ${state.month}: not saved, ${saved.reason}`);
      this.log.info(`count ${label} ${state.month} finished: ${report.mau} MAU, ${report.events} events, ${report.pages} pages, ${report.requests} requests in ${report.durationMs} ms${report.incremental ? ' (incremental)' : ''}${report.complete ? '' : ' (partial)'}`);
      return report;
    } catch (err) {
      if (signal.aborted) {
        this.log.info(`count ${label} ${state.month} cancelled`);
        return undefined;
      }
      // Says which org failed, so "Update Credential" acts on that org rather than the active one.
      if (err && typeof err === 'object') Object.assign(err, { orgId: org.id });
      throw err;
    }
  }
}

/**
 * A saved count worth extending: it has a checkpoint and stopped before the month's end (it was
 * counted while the month was running). A count that already reached the month's end has nothing
 * to add, so recounting it means counting it again in full, e.g. to catch late-published events.
 */
export function resumable(saved: StoredReport): boolean {
  return !!saved.checkpoint && countedUpTo(saved) !== undefined;
}
