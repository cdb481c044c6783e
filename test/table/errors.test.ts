/**
 * ClienteleError and isClienteleError. Source of truth: the contract in src/table/errors.ts (stable codes, one
 * message grammar, duck-typed detection that survives two copies of the package) checked against plain JS
 * `Error` semantics.
 */
import { describe, expect, it } from 'vitest';
import { ClienteleError, describeValue, isClienteleError } from '../../src/table/errors.js';
import type { ErrorCode } from '../../src/table/errors.js';
import { asTable } from '../../src/table/as-table.js';

const CODES: ErrorCode[] = [
  'MISSING_COLUMN',
  'INVALID_TYPE',
  'EMPTY_INPUT',
  'INVALID_OPTION',
  'INVALID_INPUT',
  'INVALID_VALUE',
];

describe('ClienteleError', () => {
  it('is an Error named ClienteleError with its code, message, column and row', () => {
    const e = new ClienteleError('INVALID_TYPE', 'rfm: column "amount" must hold numbers', {
      column: 'amount',
      row: 3,
    });
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(ClienteleError);
    expect(e.name).toBe('ClienteleError');
    expect(e.code).toBe('INVALID_TYPE');
    expect(e.message).toBe('rfm: column "amount" must hold numbers');
    expect(e.column).toBe('amount');
    expect(e.row).toBe(3);
    expect(typeof e.stack).toBe('string');
    expect(String(e)).toBe('ClienteleError: rfm: column "amount" must hold numbers');
  });

  it('keeps row 0 and leaves column/row off when the problem has no place', () => {
    expect(new ClienteleError('INVALID_INPUT', 'm', { row: 0 }).row).toBe(0);
    const e = new ClienteleError('EMPTY_INPUT', 'rfm: no rows');
    expect(e.column).toBeUndefined();
    expect(e.row).toBeUndefined();
  });

  it('keeps every published code as given', () => {
    for (const code of CODES) expect(new ClienteleError(code, 'x').code).toBe(code);
  });

  it('is what asTable throws, caught with instanceof and with isClienteleError', () => {
    let caught: unknown;
    try {
      asTable(42);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ClienteleError);
    expect(isClienteleError(caught)).toBe(true);
    expect((caught as ClienteleError).code).toBe('INVALID_INPUT');
  });
});

describe('isClienteleError', () => {
  it('is true for a ClienteleError', () => {
    expect(isClienteleError(new ClienteleError('INVALID_INPUT', 'x'))).toBe(true);
  });

  it('is true for an object-shaped copy: an Error carrying name ClienteleError and a string code', () => {
    const copy = Object.assign(new Error('asTable: cannot read a table from 42'), {
      name: 'ClienteleError',
      code: 'INVALID_INPUT',
    });
    expect(copy).not.toBeInstanceOf(ClienteleError);
    expect(isClienteleError(copy)).toBe(true);
  });

  it('is true for the class of a second copy of the module, where instanceof fails', async () => {
    const path = '../../src/table/errors.ts?second-copy';
    const second = (await import(/* @vite-ignore */ path)) as typeof import('../../src/table/errors.js');
    expect(second.ClienteleError).not.toBe(ClienteleError); // precondition: really a second class
    const e = new second.ClienteleError('MISSING_COLUMN', 'x');
    expect(e).not.toBeInstanceOf(ClienteleError);
    expect(isClienteleError(e)).toBe(true);
    expect(second.isClienteleError(new ClienteleError('INVALID_TYPE', 'y'))).toBe(true);
  });

  it('is false for TypeError, plain Errors, look-alike plain objects and non-objects', () => {
    expect(isClienteleError(new TypeError('x'))).toBe(false);
    expect(isClienteleError(Object.assign(new TypeError('x'), { code: 'INVALID_INPUT' }))).toBe(false);
    expect(isClienteleError(new Error('x'))).toBe(false);
    expect(isClienteleError(Object.assign(new Error('x'), { name: 'ClienteleError' }))).toBe(false); // no code
    expect(isClienteleError(Object.assign(new Error('x'), { name: 'ClienteleError', code: 7 }))).toBe(false);
    expect(isClienteleError({ name: 'ClienteleError', code: 'INVALID_INPUT', message: 'x' })).toBe(false);
    for (const v of [null, undefined, 'ClienteleError', 42]) expect(isClienteleError(v)).toBe(false);
  });
});

describe('describeValue (how messages name what they found)', () => {
  it('names values and types readably', () => {
    class Customer {}
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue('abc')).toBe('"abc"');
    expect(describeValue('x'.repeat(50))).toBe(`"${'x'.repeat(37)}..."`);
    expect(describeValue(12n)).toBe('12n');
    expect(describeValue(new Date(0))).toBe('Date(1970-01-01T00:00:00.000Z)');
    expect(describeValue(new Date('x'))).toBe('Date(Invalid)');
    expect(describeValue([1, 2, 3])).toBe('array(3)');
    expect(describeValue(new Map())).toBe('Map');
    expect(describeValue(new Customer())).toBe('Customer');
    expect(describeValue({ a: 1 })).toBe('object');
    expect(describeValue(Object.create(null))).toBe('object');
    expect(describeValue(NaN)).toBe('NaN');
    expect(describeValue(true)).toBe('true');
  });
});
