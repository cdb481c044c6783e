import type { RecordBatch, Table } from 'apache-arrow';

/**
 * An analysis split into partial aggregates (STYLE: `init / add / merge / finish`): summarize each batch of rows
 * into a partial, merge partials in row order, finish once. `finish(merge(summarize(a), summarize(b)))` equals the
 * analysis of the rows of `a` followed by those of `b`; that is what lets a table stream in bounded memory, be
 * split across worker threads, or be summarised where it lives.
 *
 * Partials are plain data — objects, arrays, typed arrays, strings and numbers — so they survive `structuredClone`
 * and `postMessage` to and from worker threads.
 */
export interface MergeableAggregate<P, O, R> {
  /** The partial of no rows: the identity of `merge`. */
  init(options: O): P;
  /** The partial of one batch (or table) of rows. */
  summarize(batch: RecordBatch | Table, options: O): P;
  /** The partial of the rows of `a` followed by those of `b`; associative, inputs unchanged. */
  merge(a: P, b: P): P;
  /** The analysis' result from the partial of all rows. */
  finish(partial: P, options: O): R;
}

/** A mutable fold of partials, for aggregates whose merge can run in place in O(size of the partial added). */
export interface Accumulator<P> {
  add(partial: P): void;
  /**
   * Adds a batch of rows straight into the fold, where that is cheaper than `add(summarize(batch))` (the customer
   * summary maps the batch's keys into its running union once, instead of building a partial and merging it);
   * the same result either way.
   */
  addBatch?(batch: RecordBatch | Table): void;
  /** The partial of everything added; it may share memory with the fold, so call it once, when done adding. */
  result(): P;
}

/** An aggregate that also offers an in-place accumulator (used by `foldBatches` over long streams). */
export interface AccumulatingAggregate<P, O, R> extends MergeableAggregate<P, O, R> {
  accumulator(options: O): Accumulator<P>;
}

/** The accumulator of an aggregate: its own when it has one, else a fold with `merge`. */
export function accumulatorOf<P, O, R>(agg: MergeableAggregate<P, O, R>, options: O): Accumulator<P> {
  const own = (agg as Partial<AccumulatingAggregate<P, O, R>>).accumulator;
  if (typeof own === 'function') return own.call(agg, options);
  let partial = agg.init(options);
  return {
    add(p: P) {
      partial = agg.merge(partial, p);
    },
    result: () => partial,
  };
}
