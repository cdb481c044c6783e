import { expect } from 'vitest';
import { isClienteleError } from '../../src/table/errors';
import type { ClienteleError, ErrorCode } from '../../src/table/errors';

/** Runs `fn`, asserts it throws a `ClienteleError` with `code`, and returns the error for further checks. */
export function catchClientele(fn: () => unknown, code: ErrorCode): ClienteleError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) throw new Error(`expected a ClienteleError ${code}, but nothing was thrown`);
  expect(isClienteleError(thrown), String(thrown)).toBe(true);
  expect((thrown as ClienteleError).code).toBe(code);
  return thrown as ClienteleError;
}

/** Asserts `fn` throws a `ClienteleError` with `code` whose message contains each of `inMessage`. */
export function expectCode(fn: () => unknown, code: ErrorCode, ...inMessage: string[]): void {
  const error = catchClientele(fn, code);
  for (const text of inMessage) expect(error.message).toContain(text);
}

/** Awaits `run` and asserts it rejects with a `ClienteleError` of `code` whose message contains each of `inMessage`. */
export async function rejectsWith(run: () => Promise<unknown>, code: ErrorCode, ...inMessage: string[]): Promise<void> {
  let thrown: unknown;
  try {
    await run();
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) throw new Error(`expected a ClienteleError ${code}, but the promise resolved`);
  expect(isClienteleError(thrown), String(thrown)).toBe(true);
  expect((thrown as ClienteleError).code).toBe(code);
  for (const text of inMessage) expect((thrown as Error).message).toContain(text);
}
