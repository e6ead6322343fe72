import { strict as assert } from 'node:assert';
import { inactiveScope } from '../../src/core/formatUsers';

describe('formatUsers: the scope an inactive report states', () => {
  it('names the month, or the days before the listing in the singular and the plural', () => {
    const asOf = '2026-12-02T10:00:00.000Z';
    assert.equal(inactiveScope({ kind: 'month', month: '2026-11', asOf }), 'in November 2026');
    assert.equal(inactiveScope({ kind: 'days', days: 30, asOf }), 'for 30 days before 2026-12-02');
    assert.equal(inactiveScope({ kind: 'days', days: 1, asOf }), 'for 1 day before 2026-12-02');
  });
});
