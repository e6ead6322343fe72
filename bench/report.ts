/** The machine a run measured, and the markdown the run prints and pastes into docs/benchmarks.md. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ScenarioResult } from './scenarios';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  sdk: string;
  os: string;
  date: string;
  commit: string;
}

export function machineInfo(): MachineInfo {
  const root = path.resolve(__dirname, '..');
  const sdkPkg = JSON.parse(readFileSync(path.join(root, 'node_modules', '@okta', 'okta-sdk-nodejs', 'package.json'), 'utf8')) as { version: string };
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    sdk: sdkPkg.version,
    os: `${os.type()} ${os.release()}`,
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    commit,
  };
}

const escape = (s: string) => s.replace(/\|/g, '\\|');

export function renderMarkdown(results: ScenarioResult[], m: MachineInfo, command: string, quick: boolean): string {
  const lines: string[] = [];
  lines.push(`Measured ${m.date} at commit \`${m.commit}\`${quick ? ' (**quick run**: one run each, smaller sizes; not for quoting)' : ''}.`);
  lines.push('');
  lines.push(`Machine: ${m.cpus} cores (\`nproc\`), ${m.cpuModel}, ${m.memoryGb} GB RAM, ${m.os}; Node ${m.node}; \`@okta/okta-sdk-nodejs\` ${m.sdk}.`);
  lines.push('');
  lines.push(`Reproduce: \`${command}\``);
  lines.push('');
  lines.push('| # | target | measured | met |');
  lines.push('| --- | --- | --- | --- |');
  for (const r of results) {
    for (const t of r.targets) lines.push(`| ${r.id} | ${escape(t.target)} | ${escape(t.measured)} | ${t.met ? '✓' : '✗'} |`);
  }
  for (const r of results) {
    lines.push('');
    lines.push(`### ${r.id}. ${r.title}`);
    lines.push('');
    lines.push(escape(r.setup) + '.');
    lines.push('');
    const withBaseline = r.rows.some((row) => row.baseline !== undefined);
    lines.push(withBaseline ? '| metric | Okta MAU | baseline (reference recipe) |' : '| metric | Okta MAU |');
    lines.push(withBaseline ? '| --- | --- | --- |' : '| --- | --- |');
    for (const row of r.rows) {
      lines.push(withBaseline ? `| ${escape(row.metric)} | ${escape(row.ours)} | ${escape(row.baseline ?? '')} |` : `| ${escape(row.metric)} | ${escape(row.ours)} |`);
    }
  }
  return lines.join('\n') + '\n';
}

export const RESULTS_START = '<!-- bench:results:start -->';
export const RESULTS_END = '<!-- bench:results:end -->';

/** Replaces what lies between the markers, leaving the prose around it alone. */
export function updateDocs(file: string, markdown: string): void {
  if (!existsSync(file)) return;
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(RESULTS_START);
  const end = text.indexOf(RESULTS_END);
  if (start < 0 || end < start) return;
  writeFileSync(file, text.slice(0, start + RESULTS_START.length) + '\n' + markdown + text.slice(end));
}
