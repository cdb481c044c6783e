import { expect } from 'vitest';
import { isClienteleError } from '../../src/table/errors';
import type { ClienteleError, ErrorCode } from '../../src/table/errors';

/**
 * The hostile corpus's helpers. Every case asserts two things: the exact answer (a `ClienteleError` with its code,
 * or a documented, counted handling) and that the input came back unchanged.
 */

/** A deep, order-preserving rendering of a value that tells NaN, ±Infinity, −0, typed arrays and Arrow tables apart. */
export function fingerprint(value: unknown, seen = new Set<unknown>()): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean' || typeof value === 'symbol') return String(value);
  if (typeof value === 'function') return 'function';
  if (seen.has(value)) return 'cycle';
  seen.add(value);
  try {
    if (value instanceof Date) return `Date(${value.getTime()})`;
    if (ArrayBuffer.isView(value)) {
      const view = value as unknown as ArrayLike<number | bigint>;
      return `${value.constructor.name}[${Array.from(view, (x) => fingerprint(x)).join(',')}]`;
    }
    if (value instanceof ArrayBuffer) return `ArrayBuffer[${new Uint8Array(value).join(',')}]`;
    if (value instanceof Map) {
      return `Map{${[...value].map(([k, v]) => `${fingerprint(k, seen)}=>${fingerprint(v, seen)}`).join(',')}}`;
    }
    if (value instanceof Set) return `Set{${[...value].map((v) => fingerprint(v, seen)).join(',')}}`;
    if (Array.isArray(value)) return `[${value.map((v) => fingerprint(v, seen)).join(',')}]`;
    const maybeTable = value as { schema?: { fields?: { name: string }[] }; numRows?: number; getChildAt?: unknown };
    if (
      maybeTable.schema?.fields &&
      typeof maybeTable.numRows === 'number' &&
      typeof maybeTable.getChildAt === 'function'
    ) {
      const t = value as unknown as { getChildAt(i: number): { toArray(): ArrayLike<unknown> } | null };
      const cols = maybeTable.schema.fields.map((f, i) => {
        const c = t.getChildAt(i);
        return `${JSON.stringify(f.name)}:${c ? fingerprint(Array.from(c.toArray()), seen) : 'null'}`;
      });
      return `Table(${maybeTable.numRows}){${cols.join(',')}}`;
    }
    const keys = Reflect.ownKeys(value as object);
    return `{${keys
      .map((k) => `${String(k)}:${fingerprint((value as Record<PropertyKey, unknown>)[k], seen)}`)
      .join(',')}}`;
  } finally {
    seen.delete(value);
  }
}

/** Runs `run`, returning what it returned or threw, and asserts every one of `inputs` is unchanged afterwards. */
export function unchangedAfter<T>(inputs: readonly unknown[], run: () => T): { value?: T; error?: unknown } {
  const before = inputs.map((x) => fingerprint(x));
  let outcome: { value?: T; error?: unknown };
  try {
    outcome = { value: run() };
  } catch (error) {
    outcome = { error };
  }
  expect(
    inputs.map((x) => fingerprint(x)),
    'the inputs were mutated',
  ).toEqual(before);
  return outcome;
}

/** The async twin of {@link unchangedAfter}. */
export async function unchangedAfterAsync<T>(
  inputs: readonly unknown[],
  run: () => Promise<T>,
): Promise<{ value?: T; error?: unknown }> {
  const before = inputs.map((x) => fingerprint(x));
  let outcome: { value?: T; error?: unknown };
  try {
    outcome = { value: await run() };
  } catch (error) {
    outcome = { error };
  }
  expect(
    inputs.map((x) => fingerprint(x)),
    'the inputs were mutated',
  ).toEqual(before);
  return outcome;
}

/**
 * Asserts `run` throws a `ClienteleError` of `code` (message containing each of `inMessage`) and leaves `inputs`
 * unchanged. Returns the error for further checks (`column`, `row`).
 */
export function refuses(
  inputs: readonly unknown[],
  run: () => unknown,
  code: ErrorCode,
  ...inMessage: string[]
): ClienteleError {
  const { error } = unchangedAfter(inputs, run);
  if (error === undefined) throw new Error(`expected a ClienteleError ${code}, but the call returned`);
  expect(isClienteleError(error), `expected a ClienteleError ${code}, got ${String(error)}`).toBe(true);
  const e = error as ClienteleError;
  expect(e.code, e.message).toBe(code);
  for (const text of inMessage) expect(e.message).toContain(text);
  return e;
}

/** The async twin of {@link refuses}. */
export async function refusesAsync(
  inputs: readonly unknown[],
  run: () => Promise<unknown>,
  code: ErrorCode,
  ...inMessage: string[]
): Promise<ClienteleError> {
  const { error } = await unchangedAfterAsync(inputs, run);
  if (error === undefined) throw new Error(`expected a ClienteleError ${code}, but the call resolved`);
  expect(isClienteleError(error), `expected a ClienteleError ${code}, got ${String(error)}`).toBe(true);
  const e = error as ClienteleError;
  expect(e.code, e.message).toBe(code);
  for (const text of inMessage) expect(e.message).toContain(text);
  return e;
}

/** Asserts that whatever `run` throws is a `ClienteleError` (for fuzzers: returning normally is fine too). */
export function onlyClienteleErrors(run: () => unknown): void {
  try {
    run();
  } catch (e) {
    if (!isClienteleError(e))
      throw new Error(`a raw ${describeThrown(e)} escaped; only ClienteleError may`, { cause: e });
  }
}

/** The async twin of {@link onlyClienteleErrors}. */
export async function onlyClienteleErrorsAsync(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (e) {
    if (!isClienteleError(e))
      throw new Error(`a raw ${describeThrown(e)} escaped; only ClienteleError may`, { cause: e });
  }
}

function describeThrown(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : `non-Error ${String(e)}`;
}
