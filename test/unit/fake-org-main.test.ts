import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { getAll, urlWith, type LogEvent } from '../fake-org';

describe('fake org: standalone process (main.ts)', function () {
  this.timeout(60_000);
  let child: ChildProcess | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'fake-org-main-'));
  after(() => {
    child?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints one JSON line with url, token and truth, writes the truth file, and serves the month', async () => {
    const truthFile = join(dir, 'truth.json');
    child = spawn(process.execPath, ['--import', 'tsx', 'test/fake-org/main.ts', '--month', '2026-02', '--seed', '5', '--users', '120', '--sessions', '400', '--truth-file', truthFile], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child!.stdout! }).once('line', resolve);
      child!.once('exit', (code) => reject(new Error(`exited with ${code}`)));
    });
    const info = JSON.parse(line) as { url: string; token: string; month: string; truth: { mau: number; events: number } };
    assert.equal(info.month, '2026-02');
    assert.deepEqual(info.truth, { mau: 120, events: 400 });
    assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const full = JSON.parse(readFileSync(truthFile, 'utf8')) as { mau: number; users: Record<string, unknown>; since: string; until: string };
    assert.equal(full.mau, 120);
    assert.equal(Object.keys(full.users).length, 120);
    assert.equal(full.until, '2026-03-01T00:00:00.000Z');

    const { items } = await getAll<LogEvent>(
      urlWith(info.url, '/api/v1/logs', { since: full.since, until: full.until, limit: 1000, filter: 'eventType eq "user.session.start" and outcome.result eq "SUCCESS" and actor.type eq "User"' }),
      `SSWS ${info.token}`,
    );
    assert.equal(items.length, 400);
    assert.equal(new Set(items.map((e) => e.actor.id)).size, 120);

    // Closing stdin stops it, so a parent that dies does not leave it running.
    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    child.stdin!.end();
    assert.equal(await exited, 0);
    child = undefined;
  });
});
