/** The extension's settings, read fresh each time so changes apply without a reload. */
import * as vscode from 'vscode';

export interface Settings {
  eventTypes: string[];
  reservePercent: number;
  statusBarEnabled: boolean;
  autoRefreshMinutes: number;
  /** Recounts extend the last count with only what was published since (see docs/dashboard.md). */
  incrementalRefresh: boolean;
}

export const SECTION = 'oktaMau';

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const eventTypes = c.get<string[]>('activeEventTypes', ['user.session.start']).filter((t) => typeof t === 'string' && t.trim() !== '');
  return {
    eventTypes: eventTypes.length > 0 ? eventTypes : ['user.session.start'],
    reservePercent: clamp(c.get<number>('rateLimitReservePercent', 20), 0, 90),
    statusBarEnabled: c.get<boolean>('statusBar.enabled', true),
    autoRefreshMinutes: Math.max(0, c.get<number>('autoRefreshMinutes', 0)),
    incrementalRefresh: c.get<boolean>('incrementalRefresh', true),
  };
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
}
