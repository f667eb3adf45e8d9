import assert from 'node:assert/strict';
import { type FieldError, FirebreakError } from '../errors.js';

/** The `{path, message}` list of the validation error `fn` throws; fails the test when it throws none. */
export function validationErrors(fn: () => unknown): FieldError[] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof FirebreakError, String(e));
    assert.equal(e.code, 'validation');
    return e.details?.errors ?? [];
  }
  assert.fail('expected a validation error');
}
