// Scenario 4: how long the extension host's event loop is blocked while the extension counts a large
// month (no latency, no rate limit, so parsing and counting run flat out), through its own command.
import { existsSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { MauReport } from '../../../src/core/types';
import { benchOrg, extension, reportResult } from './report';

/** Records every gap between timer ticks longer than `threshold`, with when it ended, to say which phase blocked. */
function gapProbe(intervalMs: number, threshold: number): { stop(): { at: number; ms: number; clockUs: number }[] } {
  const gaps: { at: number; ms: number; clockUs: number }[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const gap = now - last - intervalMs;
    // `clockUs` is on the monotonic clock a CPU profile's timestamps use, to find the block in the profile.
    if (gap > threshold) gaps.push({ at: now, ms: gap, clockUs: Number(process.hrtime.bigint() / 1000n) });
    last = now;
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return gaps;
    },
  };
}

/** With OKTA_MAU_BENCH_PROFILE=file.cpuprofile, a CPU profile of the extension host during the count, to find what blocks. */
function startProfile(): (() => Promise<void>) | undefined {
  const file = process.env.OKTA_MAU_BENCH_PROFILE;
  if (!file) return undefined;
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  return () =>
    new Promise((resolve, reject) =>
      session.post('Profiler.stop', (err, result) => {
        session.disconnect();
        if (err) return reject(err);
        // One profile per window: later windows write beside the first instead of over it.
        writeFileSync(existsSync(file) ? file.replace(/(\.cpuprofile)?$/, `-${Date.now()}$1`) : file, JSON.stringify(result.profile));
        resolve();
      }),
    );
}

describe('bench: responsiveness', () => {
  it('measures the event loop delay while Okta: Count MAUs runs', async () => {
    const org = benchOrg();
    const api = await extension().activate();
    const orgId = await vscode.commands.executeCommand<string | undefined>('oktaMau.addOrg', { orgUrl: org.url, auth: { mode: 'SSWS', token: org.token } });
    if (!orgId) throw new Error('the bench org could not be added');

    let lastPageAt = 0;
    const sub = api.onDidReportProgress((e) => {
      if (e.phase === 'progress') lastPageAt = performance.now();
    });
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    // Started before the probe: starting the profiler blocks the loop for ~150 ms itself.
    const stopProfile = startProfile();
    const probe = gapProbe(5, 10);
    const gcPauses: number[] = [];
    const gcObserver = new PerformanceObserver((list) => gcPauses.push(...list.getEntries().map((e) => e.duration)));
    gcObserver.observe({ entryTypes: ['gc'] });
    histogram.enable();
    const started = performance.now();
    const report = await vscode.commands.executeCommand<MauReport | undefined>('oktaMau.countMausForMonth', { month: org.month, orgId });
    const wallMs = performance.now() - started;
    histogram.disable();
    const gaps = probe.stop();
    gcObserver.disconnect();
    await stopProfile?.();
    sub.dispose();
    await vscode.commands.executeCommand('oktaMau.removeOrg', { orgId, confirm: false });
    if (!report) throw new Error('the count returned no report');

    const paging = gaps.filter((g) => g.at <= lastPageAt).map((g) => g.ms);
    const finishing = gaps.filter((g) => g.at > lastPageAt).map((g) => g.ms);
    reportResult({
      kind: 'responsiveness',
      mau: report.mau,
      events: report.events,
      pages: report.pages,
      wallMs,
      maxMs: histogram.max / 1e6,
      p99Ms: histogram.percentile(99) / 1e6,
      meanMs: histogram.mean / 1e6,
      longestWhilePagingMs: Math.max(0, ...paging),
      longestAfterLastPageMs: Math.max(0, ...finishing),
      gapsOver50Ms: gaps.filter((g) => g.ms > 50).length,
      longestGcMs: Math.max(0, ...gcPauses),
      ...(process.env.OKTA_MAU_BENCH_PROFILE ? { longestGaps: [...gaps].sort((a, b) => b.ms - a.ms).slice(0, 5) } : {}),
      gcMs: gcPauses.reduce((a, b) => a + b, 0),
    });
  });
});
