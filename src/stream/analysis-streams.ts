import type { RecordBatch, Table } from 'apache-arrow';
import { abcTotalsAggregate, checkCutoffs } from '../abc/internal';
import type { AbcOptions } from '../abc/internal';
import { basketColumns, basketsFromBatches } from '../basket/internal';
import type { Baskets, BasketsOptions } from '../basket/internal';
import { checkRfmOptions, customerSummaryAggregate, rfmAggregate } from '../rfm/internal';
import type { CustomerSummaryOptions, RfmOptions } from '../rfm/internal';
import { featureTable, fitKMeans, resolveKMeansOptions } from '../segment/internal';
import type { KMeansOptions, Segmentation } from '../segment/internal';
import { aggregateBatches, foldBatches } from './fold-batches';

/**
 * The stream forms of the analyses: each reads an `AsyncIterable` of record batches once, in bounded memory where
 * the analysis allows it, and resolves to exactly what the analysis gives on the whole table. The public
 * functions (src/api/) call these when handed a stream; options are checked before the first batch is read, so a
 * bad option throws at once as it does for a table.
 */

/** `customerSummary` of a stream: one batch plus O(customers) in memory. */
export function customerSummaryStream(
  batches: AsyncIterable<RecordBatch>,
  options: CustomerSummaryOptions,
): Promise<Table> {
  return aggregateBatches(customerSummaryAggregate, batches, options);
}

/** `rfm` of a stream: the customer summary of the batches, scored once at the end. */
export function rfmStream(batches: AsyncIterable<RecordBatch>, options: RfmOptions): Promise<Table> {
  checkRfmOptions(options, 'rfm');
  return foldBatches(rfmAggregate, batches, options, 'rfm').then((partial) => rfmAggregate.finish(partial, options));
}

/** `abc` of a stream: per-key totals summed batch by batch (one batch plus O(keys) in memory). */
export function abcStream(batches: AsyncIterable<RecordBatch>, options: AbcOptions): Promise<Table> {
  checkCutoffs(options.cutoffs ?? [0.8, 0.95], 'abc');
  return aggregateBatches(abcTotalsAggregate, batches, options);
}

/** `baskets` of a stream: line items coded batch by batch; a transaction may span batches. */
export function basketsStream(batches: AsyncIterable<RecordBatch>, options: BasketsOptions): Promise<Baskets> {
  basketColumns(options, 'baskets');
  return basketsFromBatches(batches, options, 'baskets');
}

/**
 * `kmeans` of a stream: the feature columns are kept (O(n · d) doubles; k-means revisits every row on every
 * iteration), the other columns leave with their batch; then the fit is the whole table's.
 */
export async function kmeansStream(batches: AsyncIterable<RecordBatch>, options: KMeansOptions): Promise<Segmentation> {
  const fn = 'kmeans';
  const o = resolveKMeansOptions(options, fn);
  return fitKMeans(await featureTable(batches, o.columns, fn), o, fn);
}
