import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Table } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { customerSequences, frequentSequences, sequenceRules } from '../../src/index';
import type { FrequentSequencesOptions, Sequences } from '../../src/index';
import { dataset, readLines, splitCsvLine } from '../helpers/datasets';
import { bruteCount, parsePattern, patternKey } from '../sequence/brute-force';
import type { BruteSequence } from '../sequence/brute-force';

/**
 * frequentSequences and sequenceRules against R arulesSequences 0.2.31 (`cspade`, `ruleInduction`; fixtures
 * produced by the call described in fixtures/arulesSequences/README.md): every pattern, its count and support, and
 * every rule's support, confidence and lift, on Zaki's example data (`data(zaki)`) and on the Online Retail sample's
 * purchase sequences; and, on the latter, an independent brute-force count of the patterns.
 */

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/arulesSequences');

interface Run {
  name: string;
  parameter: { support: number; maxgap?: number; mingap?: number; maxlen?: number; maxsize?: number };
  sequences: number;
  patterns: { sequence: string; support: number; count: number }[];
  confidence?: number;
  rules?: { rule: string; support: number; confidence: number; lift: number }[];
}

function fixture(name: string): { peer: string; runs: Run[] } {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as { peer: string; runs: Run[] };
}

function optionsOf(p: Run['parameter']): FrequentSequencesOptions {
  return {
    minSupport: p.support,
    ...(p.maxgap !== undefined ? { maxGap: p.maxgap } : {}),
    ...(p.mingap !== undefined ? { minGap: p.mingap } : {}),
    ...(p.maxlen !== undefined ? { maxLength: p.maxlen } : {}),
    ...(p.maxsize !== undefined ? { maxSize: p.maxsize } : {}),
  };
}

function patternsOf(table: Table): Map<string, { count: number; support: number }> {
  const out = new Map<string, { count: number; support: number }>();
  const [sequence, count, support] = ['sequence', 'count', 'support'].map((c) => table.getChild(c));
  for (let r = 0; r < table.numRows; r++) {
    const elements = [...(sequence?.get(r) ?? [])].map((e) => [...(e as Iterable<string>)]);
    out.set(patternKey(elements), { count: Number(count?.get(r)), support: Number(support?.get(r)) });
  }
  return out;
}

const ruleKey = (text: string) =>
  text
    .split(' => ')
    .map((side) => patternKey(parsePattern(side)))
    .join(' => ');

/** Our run against R's: the same patterns with the same counts, supports within 1e-15, rules within 1e-12. */
function compareRun(sequences: Sequences, run: Run): Table {
  const patterns = frequentSequences(sequences, optionsOf(run.parameter));
  expect(patterns.schema.metadata.get('clientele.sequences')).toBe(String(run.sequences));
  const ours = patternsOf(patterns);
  const theirs = new Map(run.patterns.map((p) => [patternKey(parsePattern(p.sequence)), p]));
  expect(new Map([...ours].map(([k, v]) => [k, v.count])), run.name).toEqual(
    new Map([...theirs].map(([k, v]) => [k, v.count])),
  );
  const worst = Math.max(...[...theirs].map(([k, p]) => Math.abs((ours.get(k)?.support ?? NaN) - p.support)));
  expect(worst, run.name).toBeLessThanOrEqual(1e-15);
  if (run.rules && run.confidence !== undefined) {
    const rules = sequenceRules(patterns, { minConfidence: run.confidence });
    const texts = [...(rules.getChild('text') ?? [])] as string[];
    const measures = ['support', 'confidence', 'lift'] as const;
    const got = new Map(texts.map((t, r) => [ruleKey(t), measures.map((m) => Number(rules.getChild(m)?.get(r)))]));
    expect([...got.keys()].sort(), `${run.name} rules`).toEqual(run.rules.map((r) => ruleKey(r.rule)).sort());
    let gap = 0;
    for (const r of run.rules) {
      const mine = got.get(ruleKey(r.rule)) ?? [];
      [r.support, r.confidence, r.lift].forEach(
        (v, i) => (gap = Math.max(gap, Math.abs(mine[i] - v) / Math.max(1, v))),
      );
    }
    expect(gap, `${run.name} rules`).toBeLessThanOrEqual(1e-12);
  }
  return patterns;
}

describe('arulesSequences on Zaki (2001) example data (data(zaki))', () => {
  const zaki = fixture('zaki.json');
  // arulesSequences' zaki transactions: sequenceID, eventID, items (the same as Zaki 2001, figure 1)
  const rows = [
    [1, 10, 'CD'],
    [1, 15, 'ABC'],
    [1, 20, 'ABF'],
    [1, 25, 'ACDF'],
    [2, 15, 'ABF'],
    [2, 20, 'E'],
    [3, 10, 'ABF'],
    [4, 10, 'DGH'],
    [4, 20, 'BF'],
    [4, 25, 'AGH'],
  ] as const;
  const flat = rows.flatMap(([customer, eventID, items]) =>
    [...items].map((item) => [customer, eventID, item] as const),
  );
  const sequences = customerSequences(
    { customer: flat.map((r) => r[0]), eventID: flat.map((r) => r[1]), item: flat.map((r) => r[2]) },
    { date: 'eventID' },
  );
  it.each(zaki.runs.map((run) => [run.name, run] as const))('cspade(zaki, %s) and its ruleInduction', (_, run) => {
    compareRun(sequences, run);
  });
  it('includes the documented cspade example outputs (18 sequences at support 0.4; 11 with maxgap = 5)', () => {
    expect(zaki.runs.map((r) => r.patterns.length).slice(0, 2)).toEqual([18, 11]);
  });
});

describe('arulesSequences on the Online Retail sample (purchases by customer and invoice day, stock codes)', () => {
  const retail = fixture('online-retail.json');
  let sequences: Sequences;
  let brute: BruteSequence[];
  beforeAll(() => {
    const [header, ...lines] = readLines(dataset('online_retail_sample.csv'));
    const names = splitCsvLine(header);
    const [code, quantity, date, customer] = ['StockCode', 'Quantity', 'InvoiceDate', 'CustomerID'].map((n) =>
      names.indexOf(n),
    );
    const tx = { customer: [] as string[], date: [] as string[], item: [] as string[] };
    for (const line of lines) {
      const f = splitCsvLine(line);
      if (f[customer] === '' || !(Number(f[quantity]) > 0)) continue;
      tx.customer.push(f[customer]);
      tx.date.push(f[date].slice(0, 10));
      tx.item.push(f[code]);
    }
    sequences = customerSequences(tx);
    // the brute-force view, built from the CSV fields without the library
    const byCustomer = new Map<string, Map<string, Set<string>>>();
    tx.customer.forEach((c, i) => {
      const days = byCustomer.get(c) ?? new Map<string, Set<string>>();
      byCustomer.set(c, days);
      const items = days.get(tx.date[i]) ?? new Set<string>();
      days.set(tx.date[i], items);
      items.add(tx.item[i]);
    });
    brute = [...byCustomer.values()].map((days) =>
      [...days.entries()]
        .map(([day, items]) => ({ time: Date.parse(`${day}T00:00:00Z`) / 86_400_000, items }))
        .sort((a, b) => a.time - b.time),
    );
  });

  const mined = new Map<string, Table>();
  it.each(retail.runs.map((run) => [run.name, run] as const))('cspade(retail, %s)', (_, run) => {
    const patterns = compareRun(sequences, run);
    expect(patterns.numRows).toBe(run.patterns.length);
    mined.set(run.name, patterns);
  });

  it('counts the multi-element patterns (mingap 7, maxlen 3) as a brute-force search over the CSV does', () => {
    expect(brute.length).toBe(3546);
    const run = retail.runs.find((r) => r.parameter.mingap === 7) as Run;
    const multi = run.patterns.map((p) => parsePattern(p.sequence)).filter((p) => p.length > 1);
    expect(multi.length).toBeGreaterThan(100);
    const patterns = patternsOf(frequentSequences(sequences, optionsOf(run.parameter)));
    for (const p of multi)
      expect(patterns.get(patternKey(p))?.count, patternKey(p)).toBe(bruteCount(brute, p, { minGap: 7 }));
  });

  it('finds every pair <{x},{y}> within 60 days in at least 3 of 600 customers, as an enumeration of all pairs does', () => {
    const subset = brute.slice(0, 600);
    const counts = new Map<string, number>();
    for (const s of subset) {
      const seen = new Set<string>();
      for (let i = 0; i < s.length; i++) {
        for (let j = i + 1; j < s.length; j++) {
          if (s[j].time - s[i].time > 60) break;
          for (const x of s[i].items) for (const y of s[j].items) seen.add(`${x} | ${y}`);
        }
      }
      for (const k of seen) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const expected = new Map([...counts].filter(([, n]) => n >= 3));
    // the same 600 customers as a table of day numbers, built from the brute-force view
    const tx = { customer: [] as number[], day: [] as number[], item: [] as string[] };
    subset.forEach((events, c) =>
      events.forEach((e) =>
        e.items.forEach((item) => {
          tx.customer.push(c);
          tx.day.push(e.time);
          tx.item.push(item);
        }),
      ),
    );
    const pairs = patternsOf(
      frequentSequences(customerSequences(tx, { date: 'day' }), { minCount: 3, maxGap: 60, maxSize: 1, maxLength: 2 }),
    );
    const found = new Map([...pairs].filter(([k]) => k.includes(' | ')).map(([k, v]) => [k, v.count]));
    expect(expected.size).toBeGreaterThan(0);
    expect(found).toEqual(expected);
  });
});
