import { itemsetPartsAggregate } from '../basket/internal';
import { kmeansStepAggregate } from '../segment/internal';
import { AGGREGATES as STREAM_AGGREGATES } from '../stream/internal';

/** A mergeable aggregate as the worker machinery calls it (the stream folder's `MergeableAggregate`, untyped). */
export interface Aggregate {
  summarize(batch: unknown, options: unknown): unknown;
  merge(a: unknown, b: unknown): unknown;
  finish(partial: unknown, options: unknown): unknown;
  /** An in-place fold of partials added in row order (faster than repeated `merge` for large partials). */
  accumulator?(options: unknown): { add(partial: unknown): void; result(): unknown };
}

/**
 * The aggregates a worker can run, by name: the stream folder's registry plus the internal thread steps of
 * `frequentItemsets` and `kmeans`, read by the worker and by the in-process path alike.
 */
export const AGGREGATES = Object.freeze({
  ...STREAM_AGGREGATES,
  // the threads' own steps of frequentItemsets and kmeans (internal: not in the public stream registry)
  itemsetParts: itemsetPartsAggregate,
  kmeansStep: kmeansStepAggregate,
}) as unknown as Readonly<Record<string, Aggregate>>;

/**
 * The name of an aggregate the threads can run: those of the stream registry (`AGGREGATES` of `clientele/stream`)
 * and the internal steps `itemsetParts` (`frequentItemsets`) and `kmeansStep` (`kmeans`).
 */
export type AggregateName = keyof typeof STREAM_AGGREGATES | 'itemsetParts' | 'kmeansStep';
