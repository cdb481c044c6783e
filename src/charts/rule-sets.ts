import { chartTable, numbers, requireColumn } from './spec';

/** A rules table read for the arulesViz-style charts: each side as a list of items, and the measures. */
export interface RuleSets {
  readonly rows: number;
  readonly antecedent: string[][];
  readonly consequent: string[][];
  readonly support: Float64Array;
  readonly confidence: Float64Array;
  readonly lift: Float64Array;
}

/** Reads an `associationRules` table. @throws {ClienteleError} `INVALID_INPUT`, `MISSING_COLUMN` */
export function readRuleSets(rules: unknown, fn: string): RuleSets {
  const producer = 'associationRules';
  const table = chartTable(rules, fn, producer);
  const side = (name: string) => {
    const vector = requireColumn(table, name, fn, producer);
    return Array.from({ length: vector.length }, (_, i) => {
      const v = vector.get(i) as unknown;
      if (v === null || v === undefined) return [];
      return typeof v === 'string' ? [v] : Array.from(v as Iterable<unknown>, String);
    });
  };
  return {
    rows: table.numRows,
    antecedent: side('antecedent'),
    consequent: side('consequent'),
    support: numbers(table, 'support', fn, producer),
    confidence: numbers(table, 'confidence', fn, producer),
    lift: numbers(table, 'lift', fn, producer),
  };
}

/** Rows of the `max` rules with the highest lift (ties by confidence, support, table order; NaN last). */
export function topByLift(r: RuleSets, max: number): number[] {
  const key = (v: number) => (v === v ? v : -Infinity);
  return Array.from({ length: r.rows }, (_, i) => i)
    .sort(
      (a, b) =>
        key(r.lift[b]) - key(r.lift[a]) ||
        key(r.confidence[b]) - key(r.confidence[a]) ||
        key(r.support[b]) - key(r.support[a]) ||
        a - b,
    )
    .slice(0, max);
}

/** An itemset as arules prints it: `{beer, chips}`. */
export function itemsetText(items: readonly string[]): string {
  return `{${items.join(', ')}}`;
}
