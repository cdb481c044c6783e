import type { Table } from 'apache-arrow';
import { ClienteleError, describeValue } from '../table/internal';
import { chartTable, numbers } from './spec';

/** The scores of a `chooseK` result, read for the elbow and silhouette charts. */
export interface KScores {
  readonly k: Float64Array;
  readonly inertia: Float64Array;
  readonly silhouette: Float64Array;
  /** The suggested k and the elbow, when the input is the whole `chooseK` result. */
  readonly suggested: number | null;
  readonly elbow: number | null;
  readonly reason: string | null;
  readonly silhouetteRows: number | null;
  readonly sampled: boolean;
}

/** Reads a `chooseK` result, or its `scores` table, sorted by k. */
export function readKScores(input: unknown, fn: string): KScores {
  const producer = 'chooseK';
  const shape = input as { scores?: unknown; numRows?: unknown } | null;
  const isResult =
    typeof input === 'object' && shape !== null && shape.scores !== undefined && shape.numRows === undefined;
  const result = isResult ? (input as Record<string, unknown>) : null;
  const table: Table = chartTable(result ? result.scores : input, fn, `${producer} (or its scores)`);
  const k = numbers(table, 'k', fn, producer);
  const inertia = numbers(table, 'inertia', fn, producer);
  const silhouette = numbers(table, 'silhouette', fn, producer);
  if (k.length === 0)
    throw new ClienteleError('EMPTY_INPUT', `${fn}: the scores table has no rows; pass the result of chooseK`);
  const order = Int32Array.from({ length: k.length }, (_, i) => i).sort((a, b) => k[a] - k[b]);
  const pick = (v: Float64Array) => Float64Array.from(order, (i) => v[i]);
  const number = (name: string): number | null => {
    const v = result?.[name];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ClienteleError(
        'INVALID_INPUT',
        `${fn}: the result's ${name} is ${describeValue(v)}, not a number; pass the result of chooseK`,
      );
    }
    return v;
  };
  return {
    k: pick(k),
    inertia: pick(inertia),
    silhouette: pick(silhouette),
    suggested: number('k'),
    elbow: number('elbow'),
    reason: typeof result?.reason === 'string' ? result.reason : null,
    silhouetteRows: number('silhouetteRows'),
    sampled: result?.sampled === true,
  };
}
