import type { Table } from 'apache-arrow';
import { chartTable, numbers } from './spec';

// The lifetimes-style charts of a repeat-buying model take the model's predictions from the one registry of
// repeat-buying models in clv/ (`repeatModel`, `REPEAT_MODELS`); what is theirs alone is reading the summary.

/** The colour of the `source` field (actual beside model) in every chart of a repeat-buying model. */
export const SOURCE_COLOR = {
  field: 'source',
  type: 'nominal',
  title: null,
  scale: { domain: ['actual', 'model'], range: ['#4c78a8', '#f58518'] },
} as const;

/** Actual solid, model dashed: the `strokeDash` of the line charts of a repeat-buying model. */
export const SOURCE_DASH = {
  field: 'source',
  type: 'nominal',
  scale: {
    domain: ['actual', 'model'],
    range: [
      [1, 0],
      [5, 3],
    ],
  },
  legend: null,
} as const;

/** The calibration columns of a `summaryFromTransactions` table: frequency (x), recency (t_x) and T. */
export interface Histories {
  readonly table: Table;
  readonly x: Float64Array;
  readonly tx: Float64Array;
  readonly T: Float64Array;
  /** The time unit of the summary (its `clientele.unit`), e.g. `'week'`. */
  readonly unit: string;
}

/** Reads frequency, recency and T of a summary table. @throws {ClienteleError} `INVALID_INPUT`, `MISSING_COLUMN` */
export function readHistories(summary: unknown, fn: string): Histories {
  const producer = 'summaryFromTransactions';
  const table = chartTable(summary, fn, producer);
  return {
    table,
    x: numbers(table, 'frequency', fn, producer),
    tx: numbers(table, 'recency', fn, producer),
    T: numbers(table, 'T', fn, producer),
    unit: table.schema.metadata.get('clientele.unit') ?? 'period',
  };
}
