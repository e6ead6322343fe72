import assert from 'node:assert/strict';
import { exitCodeFor, describeError } from '../../src/core/errors';

/** Runs a CLI input reader (arguments, environment) expecting a rejection; returns the one-line message after asserting exit code 2. */
export function rejection(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.equal(exitCodeFor(err), 2, `exit code for: ${String(err)}`);
    const message = describeError(err);
    assert.doesNotMatch(message, /\n/);
    return message;
  }
  assert.fail('expected an InvalidInputError');
}
