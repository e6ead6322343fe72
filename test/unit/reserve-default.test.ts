/**
 * The rate-limit reserve's and the concurrency's defaults and bounds live in the core
 * (`DEFAULT_RESERVE_PERCENT`, `RESERVE_PERCENT_RANGE`, `DEFAULT_CONCURRENCY`, `CONCURRENCY_RANGE`).
 * package.json and the docs cannot import them: these tests hold them to it.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCliArgs } from '../../src/cli/args';
import { HELP } from '../../src/cli/help';
import { CONCURRENCY_RANGE, DEFAULT_CONCURRENCY, DEFAULT_RESERVE_PERCENT, RESERVE_PERCENT_RANGE } from '../../src/core/types';

const root = path.join(__dirname, '..', '..');
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');

describe('the rate-limit reserve default', () => {
  it('is 20 % of the limit, within 0–90', () => {
    assert.equal(DEFAULT_RESERVE_PERCENT, 20);
    assert.deepEqual(RESERVE_PERCENT_RANGE, { min: 0, max: 90 });
  });

  it('is the default, minimum and maximum of the oktaMau.rateLimitReservePercent setting in package.json', () => {
    const setting = JSON.parse(read('package.json')).contributes.configuration.properties['oktaMau.rateLimitReservePercent'];
    assert.equal(setting.default, DEFAULT_RESERVE_PERCENT);
    assert.equal(setting.minimum, RESERVE_PERCENT_RANGE.min);
    assert.equal(setting.maximum, RESERVE_PERCENT_RANGE.max);
  });

  it('is what okta-mau --help and the docs say', () => {
    assert.match(HELP, /--reserve <percent> .*, 0-90 \(default 20\)$/m);
    assert.match(read('docs/cli.md'), new RegExp(`^\\| \`--reserve <percent>\` \\| \`${DEFAULT_RESERVE_PERCENT}\` \\|.*, ${RESERVE_PERCENT_RANGE.min}–${RESERVE_PERCENT_RANGE.max}\\. \\|$`, 'm'));
    assert.match(read('docs/extension.md'), new RegExp(`^\\| \`oktaMau.rateLimitReservePercent\` \\| \`${DEFAULT_RESERVE_PERCENT}\` \\|.*; ${RESERVE_PERCENT_RANGE.min} to ${RESERVE_PERCENT_RANGE.max}\\. \\|$`, 'm'));
  });

  it('bounds okta-mau count --reserve', () => {
    const reserve = (value: string) => parseCliArgs(['count', '--org-url', 'https://acme.okta.com', '--reserve', value], {});
    assert.equal((reserve(String(RESERVE_PERCENT_RANGE.max)) as { reservePercent?: number }).reservePercent, RESERVE_PERCENT_RANGE.max);
    assert.throws(() => reserve(String(RESERVE_PERCENT_RANGE.max + 1)), /--reserve/);
    assert.throws(() => reserve(String(RESERVE_PERCENT_RANGE.min - 1)), /--reserve/);
  });
});

describe('the concurrency default', () => {
  const settings = (): Record<string, { default?: unknown; minimum?: unknown; maximum?: unknown }> =>
    JSON.parse(read('package.json')).contributes.configuration.properties;

  it('is 8 requests in flight, within 1–32', () => {
    assert.equal(DEFAULT_CONCURRENCY, 8);
    assert.deepEqual(CONCURRENCY_RANGE, { min: 1, max: 32 });
  });

  it('is the default, minimum and maximum of any concurrency setting in package.json (the extension has none today)', () => {
    for (const [name, setting] of Object.entries(settings()).filter(([key]) => /concurrency/i.test(key))) {
      assert.equal(setting.default, DEFAULT_CONCURRENCY, name);
      assert.equal(setting.minimum, CONCURRENCY_RANGE.min, name);
      assert.equal(setting.maximum, CONCURRENCY_RANGE.max, name);
    }
  });

  it('is what okta-mau --help and the docs say', () => {
    assert.match(HELP, /--concurrency <n> .*, 1-32 \(default 8\)$/m);
    assert.match(read('docs/cli.md'), new RegExp(`^\\| \`--concurrency <n>\` \\| \`${DEFAULT_CONCURRENCY}\` \\| Most requests in flight, ${CONCURRENCY_RANGE.min}–${CONCURRENCY_RANGE.max}\\. .*\\|$`, 'm'));
    assert.match(read('docs/architecture.md'), new RegExp(`fans out to the concurrency limit \\(default ${DEFAULT_CONCURRENCY}\\)`));
  });

  it('bounds okta-mau count --concurrency', () => {
    const concurrency = (value: string) => parseCliArgs(['count', '--org-url', 'https://acme.okta.com', '--concurrency', value], {});
    assert.equal((concurrency(String(CONCURRENCY_RANGE.max)) as { maxConcurrency?: number }).maxConcurrency, CONCURRENCY_RANGE.max);
    assert.equal((concurrency(String(CONCURRENCY_RANGE.min)) as { maxConcurrency?: number }).maxConcurrency, CONCURRENCY_RANGE.min);
    assert.throws(() => concurrency(String(CONCURRENCY_RANGE.max + 1)), /--concurrency/);
    assert.throws(() => concurrency(String(CONCURRENCY_RANGE.min - 1)), /--concurrency/);
  });
});
