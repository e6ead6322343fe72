/**
 * How the bench suites hand numbers to the runner outside VS Code: one console line with a marker,
 * which reaches the runner through the workbench's `codeAutomationLog`.
 */
import * as vscode from 'vscode';
import type { OktaMauApi } from '../../../src/extension/api';
import { RESULT_MARKER } from '../marker';

export const EXTENSION_ID = 'okta-mau.okta-mau';

export function reportResult(result: Record<string, unknown>): void {
  console.log(RESULT_MARKER + JSON.stringify(result));
}

export function extension(): vscode.Extension<OktaMauApi> {
  const ext = vscode.extensions.getExtension<OktaMauApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this window`);
  return ext;
}

/** The org the bench driver serves (from another process, so its work never blocks this event loop). */
export interface BenchOrg {
  url: string;
  token: string;
  month: string;
  mau: number;
  events: number;
}

export function benchOrg(): BenchOrg {
  const raw = process.env.OKTA_MAU_BENCH_ORG;
  if (!raw) throw new Error('OKTA_MAU_BENCH_ORG is not set: run this suite through bench/vscode/run-vscode-bench.ts');
  return JSON.parse(raw) as BenchOrg;
}
