/**
 * Where a running month will end (`projectMonth`), from the org's earlier saved months: worked out
 * once per saved count and kept until the saved results change, since the status bar redraws on
 * every progress update and the projection reads every user of up to six months.
 */
import * as vscode from 'vscode';
import { MAX_PROJECTION_MONTHS, projectMonth, type ProjectionResult } from '../core/projection';
import { countedUpTo } from '../core/reportFacts';
import { dayName, formatNumber } from './progressText';
import type { ResultStore, StoredReport } from './resultStore';

export class Projections implements vscode.Disposable {
  private memo = new WeakMap<StoredReport, Promise<ProjectionResult>>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly results: ResultStore) {
    // An earlier month recounted or removed changes what a projection rests on.
    this.subscription = results.onDidChange(() => (this.memo = new WeakMap()));
  }

  dispose(): void {
    this.subscription.dispose();
  }

  /** The projection of a month counted to date; undefined for a month that has ended. */
  of(orgId: string, report: StoredReport): Promise<ProjectionResult> | undefined {
    if (countedUpTo(report) === undefined) return undefined;
    let pending = this.memo.get(report);
    if (!pending) this.memo.set(report, (pending = this.compute(orgId, report)));
    return pending;
  }

  private async compute(orgId: string, report: StoredReport): Promise<ProjectionResult> {
    const earlier = (await this.results.months(orgId)).filter((m) => m < report.month).slice(0, MAX_PROJECTION_MONTHS);
    const loaded = await Promise.all(earlier.map((m) => this.results.load(orgId, m)));
    return projectMonth(report, loaded.filter((r): r is StoredReport => r !== undefined));
  }
}

/** `≈ 3,400 by Nov 30 (3,250–3,560)`, or undefined when there is no projection to show. */
export function projectionText(p: ProjectionResult | undefined, until: string): string | undefined {
  if (p?.kind !== 'projected') return undefined;
  return vscode.l10n.t('≈ {0} by {1} ({2}–{3})', formatNumber(p.estimate), dayName(until, true), formatNumber(p.low), formatNumber(p.high));
}
