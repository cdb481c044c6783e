import { Table, TimestampMillisecond, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { customerSequences, sequenceLists, sequencesFromLists } from '../../src/index';
import { isClienteleError } from '../../src/table/errors';

describe('customerSequences', () => {
  it('orders each customer by time, merges one time into one event, and counts the rows it drops', () => {
    const tx = {
      customer: ['b', 'a', 'a', null, 'a', 'a', 'b', 'c'],
      date: ['2024-01-05', '2024-01-03', '2024-01-01', '2024-01-01', null, '2024-01-03', '2024-01-02', '2024-02-30'],
      item: ['x', 'y', 'z', 'x', 'x', 'x', 'y', 'x'],
    };
    const frozen = structuredClone(tx);
    const s = customerSequences(tx);
    expect(tx).toEqual(frozen);
    expect(s.ids).toEqual(['b', 'a']);
    expect(sequenceLists(s)).toEqual([
      [['y'], ['x']],
      [['z'], ['x', 'y']],
    ]);
    // epoch days: 2024-01-02 is day 19724
    expect(Array.from(s.times)).toEqual([19724, 19727, 19723, 19725]);
    expect(s.timeUnit).toBe('day');
    expect(s.rows?.dropped).toEqual({ nullCustomer: 1, invalidDate: 2 });
    expect(s.rows?.kept).toBe(5);
  });

  it('reads numeric times as they are, dateUnit numbers as dates, and timestamps as UTC days', () => {
    const numeric = customerSequences(
      { customer: [1, 1, 1], t: [2.5, 0.5, 2.5], item: ['b', 'a', 'c'] },
      { date: 't' },
    );
    expect(sequenceLists(numeric)).toEqual([[['a'], ['b', 'c']]]);
    expect(Array.from(numeric.times)).toEqual([0.5, 2.5]);
    expect(numeric.timeUnit).toBe('number');
    const yyyymmdd = customerSequences(
      { customer: [1, 1], t: [20240102, 20240101], item: ['b', 'a'] },
      { date: 't', dateUnit: 'yyyymmdd' },
    );
    expect(Array.from(yyyymmdd.times)).toEqual([19723, 19724]);
    const ms = Date.UTC(2024, 0, 1, 9);
    const stamped = new Table({
      customer: vectorFromArray(['a', 'a', 'a']),
      date: vectorFromArray([ms + 3_600_000, ms, ms + 86_400_000], new TimestampMillisecond()),
      item: vectorFromArray(['p', 'q', 'r']),
    });
    expect(sequenceLists(customerSequences(stamped))).toEqual([[['p', 'q'], ['r']]]);
  });

  it('refuses input without a usable row, and bad options, with their codes', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isClienteleError(e) ? e.code : 'other';
      }
      return 'none';
    };
    expect(code(() => customerSequences({ customer: [null], date: ['2024-01-01'], item: ['x'] }))).toBe('EMPTY_INPUT');
    expect(code(() => customerSequences({ customer: ['a'], day: ['2024-01-01'], item: ['x'] }))).toBe('MISSING_COLUMN');
    expect(
      code(() => customerSequences({ customer: ['a'], date: ['2024-01-01'], item: ['x'] }, { item: 3 as never })),
    ).toBe('INVALID_OPTION');
  });
});

describe('sequencesFromLists', () => {
  it('gives event i the time i + 1, keeps empty events and sequences, and refuses what is not a list of lists', () => {
    const s = sequencesFromLists([[['b', 'a', 'b'], [], ['c']], []]);
    expect(s.count).toBe(2);
    expect(sequenceLists(s)).toEqual([[['a', 'b'], [], ['c']], []]);
    expect(Array.from(s.times)).toEqual([1, 2, 3]);
    expect(() => sequencesFromLists([['a'] as never])).toThrow(/event 0 must be an array/);
    expect(() => sequencesFromLists('a' as never)).toThrow(/expected an array of sequences/);
  });
});
