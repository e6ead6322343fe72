import assert from 'node:assert/strict';
import { waterLevel } from '../../src/core/slices';

describe('waterLevel', () => {
  it('lets every slice go when the window has permits for all the work', () => {
    assert.equal(waterLevel([3, 2, 1], 10, 5), 0);
  });

  it('gives scarce permits to the slice with the most left', () => {
    // 5 permits: the slice with 10 pages takes them all; the two with 2 wait for the next window.
    const level = waterLevel([10, 2, 2], 5, 10);
    assert.ok(level >= 2 && level < 10, `level ${level}`);
    assert.ok(Math.abs(level - 5) < 1e-6);
  });

  it('shares permits beyond what the largest slice can use in the time left', () => {
    // The 40-page slice can make 8 requests before the reset; the other 24 permits go 7 ways.
    const level = waterLevel([40, 20, 20, 20, 20, 20, 20, 20], 32, 8);
    assert.ok(Math.abs(level - (20 - 24 / 7)) < 1e-6, `level ${level}`);
  });

  it('puts a slice of unknown size first', () => {
    assert.equal(waterLevel([Infinity, 3], 2, 4), 3);
  });
});
