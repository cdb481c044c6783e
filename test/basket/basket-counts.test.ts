import { Table } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { associationRules, baskets, droppedRows, frequentItemsets } from '../../src/index';
import { aggregateBatches, AGGREGATES, itemCountsAggregate, pairCountsAggregate } from '../../src/stream/index';
import { batchStream, keyColumn, mergeTree, pieceSizes, slices, values } from '../stream/helpers';
import type { KeyKind } from '../stream/helpers';

interface Line {
  transaction: number | null;
  item: number | null;
}

/** Brute force: baskets as Map<transaction, Set<item>> (a transaction whose items are all null is an empty basket). */
function bruteBaskets(lines: readonly Line[]): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  for (const { transaction, item } of lines) {
    if (transaction === null) continue;
    if (!out.has(transaction)) out.set(transaction, new Set());
    if (item !== null) out.get(transaction)!.add(`i${item}`);
  }
  return out;
}

function bruteItems(lines: readonly Line[]): { rows: [string, number, number][]; n: number } {
  const b = bruteBaskets(lines);
  const counts = new Map<string, number>();
  for (const items of b.values()) for (const i of items) counts.set(i, (counts.get(i) ?? 0) + 1);
  const rows = [...counts]
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .map(([i, c]) => [i, c, c / b.size] as [string, number, number]);
  return { rows, n: b.size };
}

function brutePairs(lines: readonly Line[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const items of bruteBaskets(lines).values()) {
    for (const a of items) for (const c of items) if (a !== c) out.set(`${a}→${c}`, (out.get(`${a}→${c}`) ?? 0) + 1);
  }
  return out;
}

function lineTable(lines: readonly Line[], kind: KeyKind): Table {
  return new Table({
    transaction: keyColumn(
      lines.map((l) => l.transaction),
      'int',
    ),
    item: keyColumn(
      lines.map((l) => (l.item === null ? null : kind === 'int' ? l.item : `i${l.item}`)),
      kind === 'int' ? 'int' : kind,
    ),
  });
}

const lineArb = fc.record({
  transaction: fc.oneof(
    { weight: 12, arbitrary: fc.integer({ min: 0, max: 15 }) },
    { weight: 1, arbitrary: fc.constant(null) },
  ),
  item: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 7 }) }, { weight: 1, arbitrary: fc.constant(null) }),
});
/** Lines grouped by transaction (transactions in random order, lines within a transaction in random order). */
const groupedArb = fc.array(lineArb, { maxLength: 70 }).map((lines) => {
  const order = [...new Set(lines.map((l) => l.transaction))];
  return order.flatMap((t) => lines.filter((l) => l.transaction === t));
});
const kindArb = fc.constantFrom<KeyKind>('utf8', 'dict');

describe('itemCountsAggregate', () => {
  it('counts baskets per item like a brute-force count, over random batch splits of a log grouped by transaction (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        groupedArb,
        kindArb,
        pieceSizes,
        fc.array(fc.nat(), { maxLength: 40 }),
        async (lines, kind, sizes, choices) => {
          const valid = lines.filter((l) => l.transaction !== null && l.item !== null);
          fc.pre(valid.length > 0);
          const table = lineTable(lines, kind === 'utf8' ? 'utf8' : 'dict');
          const expected = bruteItems(lines);
          const parts = slices(table, sizes);
          const streamed = await aggregateBatches(itemCountsAggregate, batchStream(parts), {});
          const tree = itemCountsAggregate.finish(
            mergeTree(
              itemCountsAggregate,
              parts.map((p) => structuredClone(itemCountsAggregate.summarize(p, {}))),
              choices,
              {},
            ),
            {},
          );
          for (const got of [streamed, tree]) {
            expect(values(got, 'item')).toEqual(expected.rows.map((r) => r[0]));
            expect(values(got, 'count')).toEqual(expected.rows.map((r) => r[1]));
            expect(values(got, 'support')).toEqual(expected.rows.map((r) => r[2]));
            expect(got.schema.metadata.get('clientele.baskets')).toBe(String(expected.n));
            expect(droppedRows(got).dropped).toEqual(
              lines.length === valid.length ? {} : { nullKey: lines.length - valid.length },
            );
          }
          // the same baskets as baskets() on the whole table
          expect(Number(streamed.schema.metadata.get('clientele.baskets'))).toBe(baskets(table).count);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('lines of a transaction may be anywhere within one batch', () => {
    const lines: Line[] = [
      { transaction: 1, item: 1 },
      { transaction: 2, item: 1 },
      { transaction: 1, item: 2 },
      { transaction: 3, item: 2 },
      { transaction: 2, item: 2 },
      { transaction: 1, item: 1 },
    ];
    const got = itemCountsAggregate.finish(itemCountsAggregate.summarize(lineTable(lines, 'utf8'), {}), {});
    expect(values(got, 'item')).toEqual(['i2', 'i1']);
    expect(values(got, 'count')).toEqual([3, 2]);
  });

  it('joins a transaction split across several batches, and counts one that reappears after another transaction in a later batch twice (documented)', async () => {
    const lines: Line[] = [1, 1, 1, 1, 1, 2].map((t, k) => ({ transaction: t, item: k % 3 }));
    const split = await aggregateBatches(itemCountsAggregate, slices(lineTable(lines, 'utf8'), [1, 2, 1, 2]), {});
    expect(split.schema.metadata.get('clientele.baskets')).toBe('2');
    expect(values(split, 'count')).toEqual([2, 1, 1]);
    const scattered: Line[] = [
      { transaction: 1, item: 1 },
      { transaction: 2, item: 1 },
      { transaction: 1, item: 2 },
    ];
    const twice = await aggregateBatches(itemCountsAggregate, slices(lineTable(scattered, 'utf8'), [2, 1]), {});
    expect(twice.schema.metadata.get('clientele.baskets')).toBe('3'); // transaction 1 counted as two baskets
  });

  it('minSupport keeps the frequent items; no usable row is EMPTY_INPUT', async () => {
    const lines: Line[] = [
      { transaction: 1, item: 1 },
      { transaction: 2, item: 1 },
      { transaction: 2, item: 2 },
    ];
    const got = await aggregateBatches(itemCountsAggregate, [lineTable(lines, 'utf8')], { minSupport: 0.6 });
    expect(values(got, 'item')).toEqual(['i1']);
    await expect(
      aggregateBatches(itemCountsAggregate, [lineTable([{ transaction: null, item: 1 }], 'utf8')], {}),
    ).rejects.toMatchObject({ code: 'EMPTY_INPUT' });
    await expect(
      aggregateBatches(itemCountsAggregate, [lineTable(lines, 'utf8')], { minSupport: 2 }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});

describe('pairCountsAggregate', () => {
  it('counts item pairs like a brute-force count and gives the measures of associationRules on 2-itemsets (property)', async () => {
    await fc.assert(
      fc.asyncProperty(groupedArb, pieceSizes, fc.array(fc.nat(), { maxLength: 40 }), async (lines, sizes, choices) => {
        fc.pre(lines.some((l) => l.transaction !== null && l.item !== null));
        const table = lineTable(lines, 'utf8');
        const parts = slices(table, sizes);
        const streamed = await aggregateBatches(pairCountsAggregate, batchStream(parts), {});
        const tree = pairCountsAggregate.finish(
          mergeTree(
            pairCountsAggregate,
            parts.map((p) => structuredClone(pairCountsAggregate.summarize(p, {}))),
            choices,
            {},
          ),
          {},
        );
        const expected = brutePairs(lines);
        for (const got of [streamed, tree]) {
          const a = values(got, 'antecedent');
          const c = values(got, 'consequent');
          const count = values(got, 'count');
          expect(new Map(a.map((x, r) => [`${x}→${c[r]}`, count[r]]))).toEqual(expected);
          expect(a.length).toBe(expected.size);
          // sorted by count descending
          expect(count).toEqual([...count].sort((x, y) => (y as number) - (x as number)));
        }
        // measures against associationRules over frequentItemsets(maxLength 2) of the whole table
        if (expected.size === 0) return;
        const rules = associationRules(frequentItemsets(baskets(table), { minCount: 1, maxLength: 2 }), {
          minConfidence: 0,
        });
        const ruleOf = new Map<string, { support: number; confidence: number; lift: number }>();
        for (let r = 0; r < rules.numRows; r++) {
          const ante = rules.getChild('antecedent')!.get(r)!.toArray();
          const cons = rules.getChild('consequent')!.get(r)!.toArray();
          ruleOf.set(`${ante[0]}→${cons[0]}`, {
            support: rules.getChild('support')!.get(r)!,
            confidence: rules.getChild('confidence')!.get(r)!,
            lift: rules.getChild('lift')!.get(r)!,
          });
        }
        const a = values(streamed, 'antecedent');
        const c = values(streamed, 'consequent');
        a.forEach((x, r) => {
          const rule = ruleOf.get(`${x}→${c[r]}`)!;
          expect({
            support: values(streamed, 'support')[r],
            confidence: values(streamed, 'confidence')[r],
            lift: values(streamed, 'lift')[r],
          }).toEqual(rule);
        });
      }),
      { numRuns: 100 },
    );
  });

  it('is registered by name, and its partials survive structuredClone', () => {
    expect(AGGREGATES.pairCounts).toBe(pairCountsAggregate);
    expect(AGGREGATES.itemCounts).toBe(itemCountsAggregate);
    const p = pairCountsAggregate.summarize(
      lineTable(
        [
          { transaction: 1, item: 1 },
          { transaction: 1, item: 2 },
          { transaction: 2, item: 2 },
          { transaction: 3, item: 1 },
        ],
        'utf8',
      ),
      {},
    );
    expect(structuredClone(p)).toEqual(p);
  });
});
