/**
 * The statuses that hold a licence: the core's `BILLABLE_STATUSES` is the default of the CLI's
 * `--status` and of the extension's `oktaMau.licensedStatuses`, whose manifest entry cannot import it
 * (these tests hold it to it), and `knownStatuses` is how a host reads a list a person edited.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BILLABLE_STATUSES, knownStatuses, USER_STATUSES } from '../../src/core/userStatus';

const setting = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).contributes.configuration.properties['oktaMau.licensedStatuses'];

describe('the oktaMau.licensedStatuses setting', () => {
  it("defaults to the core's billable statuses, as okta-mau inactive --status does", () => {
    assert.deepEqual(setting.default, [...BILLABLE_STATUSES]);
  });

  it("offers exactly Okta's statuses, each once, at least one", () => {
    assert.deepEqual([...setting.items.enum].sort(), [...USER_STATUSES].sort());
    assert.equal(setting.uniqueItems, true);
    assert.equal(setting.minItems, 1);
    assert.equal(setting.maxItems, USER_STATUSES.length);
  });

  it('is a user setting only: a workspace must not change what counts as licensed', () => {
    assert.equal(setting.scope, 'application');
  });
});

describe('reading a list of statuses a person edited', () => {
  it('keeps the Okta statuses, upper-cased and trimmed, each once in the order given', () => {
    assert.deepEqual(knownStatuses(['active', ' SUSPENDED ', 'ACTIVE', 'locked_out']), ['ACTIVE', 'SUSPENDED', 'LOCKED_OUT']);
  });

  it('leaves out what is not a status, and gives nothing when none is left', () => {
    assert.deepEqual(knownStatuses(['ADMIN', 'ACTIVE', '']), ['ACTIVE']);
    assert.equal(knownStatuses(['ADMIN', '']), undefined);
    assert.equal(knownStatuses([]), undefined);
  });

  it('never gives more than the eight statuses there are', () => {
    const many = [...USER_STATUSES, ...USER_STATUSES.map((s) => s.toLowerCase()), 'X'];
    assert.deepEqual(knownStatuses(many), [...USER_STATUSES]);
  });
});
