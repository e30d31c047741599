import assert from 'node:assert/strict';
import type { ErrorWire } from '../../shared/errors';
import type { Ack } from '../../shared/events';

/** Asserts an ack is ok and returns its data. */
export function ok<T>(res: Ack<T>): T {
  if (!res.ok) assert.fail(`expected ok, got ${JSON.stringify(res.error)}`);
  return res.data;
}

/** Asserts an ack is an error with this code and returns the error. */
export function refused(res: Ack<unknown>, code: ErrorWire['code']): ErrorWire {
  if (res.ok) assert.fail(`expected ${code}, got ok ${JSON.stringify(res.data).slice(0, 300)}`);
  assert.equal(res.error.code, code, JSON.stringify(res.error));
  return res.error;
}

/** Asserts an ack is an error (of any code) and returns the error. */
export function failed(res: Ack<unknown>): ErrorWire {
  if (res.ok) assert.fail(`expected an error, got ${JSON.stringify(res.data)}`);
  return res.error;
}
