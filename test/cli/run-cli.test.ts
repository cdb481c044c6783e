import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Dictionary,
  Field,
  Float64,
  Int32,
  Int64,
  List,
  Table,
  TimestampMillisecond,
  Utf8,
  DateDay,
  vectorFromArray,
} from 'apache-arrow';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from 'commander';
import pkg from '../../package.json';
import { runCli } from '../../src/cli/run-cli';
import { jsonRows } from '../../src/cli/json-rows';
import {
  cutoffList,
  integerIn,
  isoDay,
  kRange,
  numberIn,
  segmentCount,
  blockMapping,
} from '../../src/cli/parse-options';
import type { CliIo } from '../../src/cli/cli-io';

/** In-process runs of the command line with captured streams: what the spawned-binary tests cannot reach. */

interface Captured {
  io: CliIo;
  out: () => string;
  err: () => string;
}

function capture(tty = false): Captured {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (s: string) => ((out += s), true) },
      stderr: { write: (s: string) => ((err += s), true), isTTY: tty, columns: 100 },
    },
    out: () => out,
    err: () => err,
  };
}

let dir: string;
let csv: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-cli-'));
  csv = join(dir, 'tx.csv');
  // a hand-checkable log: a buys twice (30 + 20), b once (15), c three times (10 + 40 + 60)
  writeFileSync(
    csv,
    'customer,date,amount\na,2024-01-05,30\na,2024-03-01,20\nb,2024-02-10,15\nc,2024-01-01,10\nc,2024-02-01,40\nc,2024-03-10,60\n',
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runCli in-process', () => {
  it('--version prints the version of package.json', async () => {
    const c = capture();
    expect(await runCli(['--version'], c.io)).toBe(0);
    expect(c.out().trim()).toBe(pkg.version);
  });

  it('rfm on a hand-checkable log gives the scores worked out by hand', async () => {
    const c = capture();
    expect(await runCli(['rfm', csv, '--bins', '3', '--as-of', '2024-04-01'], c.io)).toBe(0);
    const rows = JSON.parse(c.out()) as Record<string, unknown>[];
    // recency: a 31 days (2024-03-01), b 51, c 22; frequency 2, 1, 3; monetary 50, 15, 110 → scores 222, 111, 333
    expect(rows.map((r) => [r.customer, r.recency, r.frequency, r.monetary, r.score])).toEqual([
      ['a', 31, 2, 50, '222'],
      ['b', 51, 1, 15, '111'],
      ['c', 22, 3, 110, '333'],
    ]);
    expect(rows[0]).not.toHaveProperty('segment');
  });

  it('abc by customer: classes from the cumulative shares 110/175, 160/175, 175/175', async () => {
    const c = capture();
    expect(await runCli(['abc', csv, '--cutoffs', '0.6,0.9'], c.io)).toBe(0);
    const rows = JSON.parse(c.out()) as Record<string, unknown>[];
    // c 62.9 % (A: nothing before it), a 91.4 % (B: 62.9 % before it is past 0.6), b (C: 91.4 % before it)
    expect(rows.map((r) => [r.key, r.value, r.class])).toEqual([
      ['c', 110, 'A'],
      ['a', 50, 'B'],
      ['b', 15, 'C'],
    ]);
  });

  it('shows a progress bar on a terminal, and none with --quiet or off a terminal', async () => {
    const tty = capture(true);
    expect(await runCli(['rfm', csv], tty.io)).toBe(0);
    expect(tty.err()).toMatch(/reading .*tx\.csv|rfm: scoring/);
    expect(tty.err()).toContain('%');

    const quiet = capture(true);
    expect(await runCli(['--quiet', 'rfm', csv], quiet.io)).toBe(0);
    expect(quiet.err()).toBe('');

    const piped = capture(false);
    expect(await runCli(['rfm', csv], piped.io)).toBe(0);
    expect(piped.err()).toBe('');
    // the three runs wrote the same result
    expect(quiet.out()).toBe(piped.out());
    expect(tty.out()).toBe(piped.out());
  });

  it('reads stdin for the input -, the format sniffed from the bytes', async () => {
    const c = capture();
    const text = 'customer,date,amount\na,2024-01-05,30\nb,2024-02-10,15\na,2024-03-01,20\n';
    c.io = {
      ...c.io,
      stdin: (async function* () {
        yield text.slice(0, 30);
        yield new TextEncoder().encode(text.slice(30));
      })(),
    };
    expect(await runCli(['abc', '-'], c.io), c.err()).toBe(0);
    expect((JSON.parse(c.out()) as Record<string, unknown>[]).map((r) => [r.key, r.value])).toEqual([
      ['a', 50],
      ['b', 15],
    ]);
  });

  it('a missing column gets the flag that names it on the command line', async () => {
    const c = capture();
    expect(await runCli(['rfm', csv, '--date', 'day'], c.io)).toBe(1);
    expect(c.err()).toContain('"day"');
    expect(c.err()).toContain('(--date) is not in the table');
    expect(c.err()).toContain('as --date …');
  });

  it('an unexpected error is exit 1 with a --debug hint, and its stack only with --debug', async () => {
    for (const debug of [false, true]) {
      const c = capture();
      const broken: CliIo = {
        ...c.io,
        stdout: {
          write: () => {
            throw new TypeError('stdout exploded');
          },
        },
      };
      expect(await runCli([...(debug ? ['--debug'] : []), 'rfm', csv], broken)).toBe(1);
      expect(c.err()).toContain('clientele: internal error: stdout exploded');
      if (debug) expect(c.err()).toMatch(/^\s+at /m);
      else {
        expect(c.err()).toContain('rerun with --debug');
        expect(c.err()).not.toMatch(/^\s+at /m);
      }
    }
  });

  it('exit 2 for usage errors, with commander’s message and no stack', async () => {
    for (const argv of [
      ['nope', csv],
      ['rfm'],
      ['rfm', csv, '--bins', '1'],
      ['rfm', csv, '--frobnicate'],
      ['rfm', csv, '--out', 'x.txt'],
      ['abc', csv, '--cutoffs', '0.9,0.8'],
    ]) {
      const c = capture();
      expect(await runCli(argv, c.io), argv.join(' ')).toBe(2);
      expect(c.err()).toMatch(/error:/);
      expect(c.err()).not.toMatch(/^\s+at /m);
      expect(c.out()).toBe('');
    }
  });

  it('exit 1 for a missing column, the column named, and the stack only with --debug', async () => {
    const c = capture();
    expect(await runCli(['rfm', csv, '--amount', 'revenue'], c.io)).toBe(1);
    expect(c.err()).toMatch(/^clientele: .*"revenue"/);
    expect(c.err()).not.toMatch(/^\s+at /m);
    const d = capture();
    expect(await runCli(['--debug', 'rfm', csv, '--amount', 'revenue'], d.io)).toBe(1);
    expect(d.err()).toMatch(/^\s+at /m);
  });
});

describe('jsonRows', () => {
  it('writes dates as ISO strings, int64 as numbers, dictionaries decoded, lists as arrays, NaN as null', () => {
    const table = new Table({
      day: vectorFromArray([new Date('2024-02-29T00:00:00Z'), null], new DateDay()),
      at: vectorFromArray([new Date('2024-02-29T13:45:30.250Z'), new Date(0)], new TimestampMillisecond()),
      big: vectorFromArray([2n ** 40n, -3n], new Int64()),
      name: vectorFromArray(['x', 'y'], new Dictionary(new Utf8(), new Int32())),
      items: vectorFromArray([['beer', 'diapers'], []], new List(new Field('item', new Utf8(), true))),
      value: vectorFromArray([Number.NaN, Number.POSITIVE_INFINITY], new Float64()),
    });
    expect(jsonRows(table)).toEqual([
      {
        day: '2024-02-29',
        at: '2024-02-29T13:45:30.250Z',
        big: 1099511627776,
        name: 'x',
        items: ['beer', 'diapers'],
        value: null,
      },
      { day: null, at: '1970-01-01T00:00:00.000Z', big: -3, name: 'y', items: [], value: null },
    ]);
  });
});

describe('option parsers', () => {
  const rejects = (parse: (v: string) => unknown, value: string) =>
    expect(() => parse(value), value).toThrow(InvalidArgumentError);

  it('integerIn accepts exactly the integers of its range', () => {
    fc.assert(
      fc.property(fc.integer({ min: -50, max: 50 }), (n) => {
        const parse = integerIn(2, 20);
        if (n >= 2 && n <= 20) expect(parse(String(n))).toBe(n);
        else rejects(parse, String(n));
      }),
    );
    for (const bad of ['', ' ', '2.5', 'five', '1e400']) rejects(integerIn(0), bad);
  });

  it('numberIn respects open and closed bounds', () => {
    expect(numberIn(0, 1)('0')).toBe(0);
    rejects(numberIn(0, 1, { min: true }), '0');
    expect(numberIn(0, 1, { min: true })('1')).toBe(1);
    rejects(numberIn(0, 1), '1.0001');
    rejects(numberIn(0, Infinity), 'Infinity');
  });

  it('cutoffList takes strictly ascending shares in (0, 1] and nothing else', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 5 }), (ints) => {
        const shares = ints.map((i) => i / 1000);
        const text = shares.join(',');
        const ascending = shares.every((s, j) => j === 0 || s > shares[j - 1]);
        if (ascending) expect(cutoffList(text)).toEqual(shares);
        else rejects(cutoffList, text);
      }),
    );
    for (const bad of ['0,0.5', '0.5,1.5', '0.8,', 'a,b']) rejects(cutoffList, bad);
  });

  it('segmentCount, kRange, isoDay and blockMapping', () => {
    expect(segmentCount('auto')).toBe('auto');
    expect(segmentCount('4')).toBe(4);
    rejects(segmentCount, '0');
    expect(kRange('2,8')).toEqual([2, 8]);
    rejects(kRange, '8,2');
    expect(isoDay('2024-02-29')).toBe('2024-02-29');
    rejects(isoDay, '2023-02-29');
    rejects(isoDay, '31/12/2024');
    expect(blockMapping('value=v1, v2', { quality: ['q1'] })).toEqual({ quality: ['q1'], value: ['v1', 'v2'] });
    rejects((v) => blockMapping(v, undefined), 'value');
    rejects((v) => blockMapping(v, undefined), 'value=');
  });
});
