/**
 * The extension's settings, read fresh each time so changes apply without a reload.
 *
 * The settings that spend the org's rate limit or change what a count means are `application`
 * scoped in package.json, and read here from the user's own settings only: a repository's
 * `.vscode/settings.json` must not make the admin's stored credential count anything.
 */
import * as vscode from 'vscode';
import type { Definition } from '../core/definition';
import { DEFAULT_PRESET_ID, definitionPreset, isPresetId, type DefinitionId } from '../core/definitions';
import { DEFAULT_EVENT_TYPES, DEFAULT_SOURCE, isDefaultEventTypes } from '../core/sources';
import { DEFAULT_RESERVE_PERCENT, RESERVE_PERCENT_RANGE } from '../core/types';
import { BILLABLE_STATUSES, knownStatuses } from '../core/userStatus';

export interface Settings {
  /** `oktaMau.definition`: a preset, or `custom` for the event types of `oktaMau.activeEventTypes`. */
  definition: DefinitionId;
  /** The event types the definition counts. */
  eventTypes: string[];
  reservePercent: number;
  statusBarEnabled: boolean;
  autoRefreshMinutes: number;
  /** Recounts extend the last count with only what was published since (see docs/dashboard.md). */
  incrementalRefresh: boolean;
  /** "Dormant for N days": no sign-in (Okta's `lastLogin`) for this many days, a whole number. */
  dormantDays: number;
  /**
   * `oktaMau.licensedStatuses`: the Okta user statuses that hold a licence, as the CLI's `--status`
   * (default the core's `BILLABLE_STATUSES`). Upper case, each once, in the order given.
   */
  licensedStatuses: string[];
}

export const SECTION = 'oktaMau';

/** Bounds of the numeric settings, the same as their `minimum`/`maximum` in package.json. */
export const RESERVE_PERCENT = { ...RESERVE_PERCENT_RANGE, fallback: DEFAULT_RESERVE_PERCENT } as const;
/** At most a day between background recounts; the timer's delay is clamped besides (see `clampDelay`). */
export const AUTO_REFRESH_MINUTES = { min: 0, max: 1440, fallback: 0 } as const;
/** The core's `dormantFor` takes 1 to 3650 whole days (ten years). */
export const DORMANT_DAYS = { min: 1, max: 3650, fallback: 90 } as const;

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  // The core trims and de-duplicates the same way, so the definition here names the file the count is saved to.
  const listed = [...new Set((userValue(c, 'activeEventTypes', isStringArray) ?? []).map((t) => t.trim()).filter(Boolean))];
  const custom = listed.length > 0 ? listed : [...DEFAULT_EVENT_TYPES];
  // A user who listed other event types before there was a definition setting keeps counting them.
  const chosen = c.inspect<unknown>('definition')?.globalValue;
  const definition: DefinitionId = isDefinitionId(chosen) ? chosen : isDefaultEventTypes(custom) ? DEFAULT_PRESET_ID : 'custom';
  return {
    definition,
    eventTypes: definition === 'custom' ? custom : [...definitionPreset(definition).eventTypes],
    reservePercent: clamp(userValue(c, 'rateLimitReservePercent', isNumber) ?? RESERVE_PERCENT.fallback, RESERVE_PERCENT),
    // Only what this window shows: a workspace may turn it off.
    statusBarEnabled: c.get<unknown>('statusBar.enabled', true) !== false,
    autoRefreshMinutes: clamp(userValue(c, 'autoRefreshMinutes', isNumber) ?? AUTO_REFRESH_MINUTES.fallback, AUTO_REFRESH_MINUTES),
    incrementalRefresh: userValue(c, 'incrementalRefresh', isBoolean) ?? true,
    dormantDays: Math.round(clamp(userValue(c, 'dormantDays', isNumber) ?? DORMANT_DAYS.fallback, DORMANT_DAYS)),
    licensedStatuses: knownStatuses(userValue(c, 'licensedStatuses', isStringArray) ?? []) ?? [...BILLABLE_STATUSES],
  };
}

/** What the extension's counts mean by "active": saved results are kept per definition. */
export function countDefinition(settings: Settings = readSettings()): Definition {
  return { source: DEFAULT_SOURCE, eventTypes: settings.eventTypes };
}

/** Fires when the definition of "active" changes, so views switch to the results of the new one. */
export function onDidChangeDefinition(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(`${SECTION}.activeEventTypes`) || e.affectsConfiguration(`${SECTION}.definition`)) listener();
  });
}

/** Fires when the days that make a user dormant change, so the views count them again. */
export function onDidChangeDormantDays(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(`${SECTION}.dormantDays`)) listener();
  });
}

/** Fires when the statuses that hold a licence change, so the views count the licensed users again (and listings ask for them). */
export function onDidChangeLicensedStatuses(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(`${SECTION}.licensedStatuses`)) listener();
  });
}

/**
 * The user's own value of a setting (or its default), never a workspace's, a folder's or a language
 * override's. VS Code already drops workspace values of `application` settings; reading `globalValue`
 * keeps that true even where a host or an older VS Code would not. A value of the wrong type is ignored.
 */
function userValue<T>(c: vscode.WorkspaceConfiguration, key: string, is: (v: unknown) => v is T): T | undefined {
  const inspected = c.inspect<unknown>(key);
  const user = inspected?.globalValue;
  const fallback = inspected?.defaultValue;
  return is(user) ? user : is(fallback) ? fallback : undefined;
}

const isDefinitionId = (v: unknown): v is DefinitionId => v === 'custom' || isPresetId(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((t) => typeof t === 'string');

function clamp(value: number, bounds: { min: number; max: number }): number {
  return Math.min(bounds.max, Math.max(bounds.min, value));
}
