/**
 * The rate-limit reserve's default and bounds live in the core (`DEFAULT_RESERVE_PERCENT`,
 * `RESERVE_PERCENT_RANGE`). package.json and the docs cannot import them: these tests hold them to it.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCliArgs } from '../../src/cli/args';
import { HELP } from '../../src/cli/help';
import { DEFAULT_RESERVE_PERCENT, RESERVE_PERCENT_RANGE } from '../../src/core/types';

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
