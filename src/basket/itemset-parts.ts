import type { RecordBatch, Table } from 'apache-arrow';
import { ClienteleError, describeValue } from '../table/internal';
import type { MinedItemsets } from './mined';
import { MINERS } from './miners';
import type { MinerName } from './miners';

/**
 * Options of {@link itemsetPartsAggregate}: the baskets themselves (views of `SharedArrayBuffer`s when the work
 * runs on threads, so that every thread reads the one copy) and what the step needs.
 */
export interface ItemsetPartsOptions {
  /** `'supports'`: count the baskets holding each item; `'mine'`: mine the itemsets of the owned items. */
  readonly step: 'supports' | 'mine';
  /** Number of parts the work is cut into, 1 … 256. */
  readonly parts: number;
  /** The baskets in CSR (see `Baskets`): basket b holds `items[offsets[b] … offsets[b + 1] − 1]`. */
  readonly count: number;
  readonly offsets: Int32Array;
  readonly items: Int32Array;
  /** Item codes below this are counted even where no basket holds them (the number of item names). */
  readonly width: number;
  /** `'mine'`: the item supports of all baskets (the merged `'supports'` step). */
  readonly support?: Int32Array;
  /** `'mine'`: the part that owns each item code (−1: nobody; an infrequent item never starts an itemset). */
  readonly owner?: Int32Array;
  readonly minCount?: number;
  readonly maxLength?: number;
  /** `'mine'`: the output guard of each part (a part past it means the whole is past it too). */
  readonly maxItemsets?: number;
  readonly algorithm?: MinerName;
}

/** Item supports of some baskets, or the itemsets of some parts (as a miner returns them). */
export type ItemsetPartsPartial =
  { readonly kind: 'supports'; readonly support: Int32Array } | ({ readonly kind: 'itemsets' } & MinedItemsets);

const fn = 'itemsetParts';

/** The parts a batch asks for: its Int32 column `part`. */
function partsOf(batch: RecordBatch | Table, parts: number): Int32Array {
  const column = batch.getChild('part');
  const values = column?.toArray() as unknown;
  if (!(values instanceof Int32Array) || values.some((p) => p < 0 || p >= parts)) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the batch must have an Int32 column "part" of part numbers in 0 … ${parts - 1} (found ${describeValue(values)})`,
      {
        column: 'part',
      },
    );
  }
  return values;
}

/** Item supports over the baskets of each part (contiguous, equal shares of the baskets), as `itemSupports`. */
function supports(options: ItemsetPartsOptions, parts: Int32Array): Int32Array {
  const { count, offsets, items } = options;
  let width = options.width;
  let support = new Int32Array(width);
  for (const p of parts) {
    const from = offsets[Math.floor((p * count) / options.parts)];
    const to = offsets[Math.floor(((p + 1) * count) / options.parts)];
    for (let t = from; t < to; t++) {
      const c = items[t];
      if (c >= width) {
        width = c + 1;
        const wider = new Int32Array(width);
        wider.set(support);
        support = wider;
      }
      support[c]++;
    }
  }
  return support;
}

function mine(options: ItemsetPartsOptions, parts: Int32Array): MinedItemsets {
  const { support, owner, minCount, maxLength, algorithm } = options;
  if (
    support === undefined ||
    owner === undefined ||
    minCount === undefined ||
    maxLength === undefined ||
    algorithm === undefined ||
    !Object.hasOwn(MINERS, algorithm)
  ) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: the mine step needs support, owner, minCount, maxLength and algorithm (found ${describeValue(options)})`,
    );
  }
  const ours = new Uint8Array(options.parts);
  for (const p of parts) ours[p] = 1;
  const owned = new Uint8Array(support.length);
  for (let c = 0; c < owned.length; c++) owned[c] = owner[c] >= 0 && ours[owner[c]] ? 1 : 0;
  const baskets = {
    kind: 'baskets' as const,
    count: options.count,
    offsets: options.offsets,
    items: options.items,
    names: [],
  };
  return MINERS[algorithm](baskets, minCount, maxLength, { support, owned }, options.maxItemsets ?? Infinity);
}

function merge(a: ItemsetPartsPartial, b: ItemsetPartsPartial): ItemsetPartsPartial {
  if (a.kind === 'supports' && b.kind === 'supports') {
    const support = new Int32Array(Math.max(a.support.length, b.support.length));
    support.set(a.support);
    for (let c = 0; c < b.support.length; c++) support[c] += b.support[c];
    return { kind: 'supports', support };
  }
  if (a.kind === 'itemsets' && b.kind === 'itemsets') {
    const sets = a.counts.length;
    const offsets = new Int32Array(sets + b.counts.length + 1);
    offsets.set(a.offsets);
    const base = a.codes.length;
    for (let s = 1; s <= b.counts.length; s++) offsets[sets + s] = base + b.offsets[s];
    const codes = new Int32Array(base + b.codes.length);
    codes.set(a.codes);
    codes.set(b.codes, base);
    const counts = new Int32Array(sets + b.counts.length);
    counts.set(a.counts);
    counts.set(b.counts, sets);
    return { kind: 'itemsets', offsets, codes, counts };
  }
  throw new ClienteleError(
    'INVALID_INPUT',
    `${fn}: cannot merge a ${a.kind} partial with a ${b.kind} partial; merge partials of the same step`,
  );
}

/**
 * Internal (worker threads of `frequentItemsets(…, { parallel })`): frequent-itemset mining cut into parts, as a
 * mergeable aggregate. A batch names the parts it computes in its Int32 column `part`; the baskets come in the
 * options. Step `'supports'`: part p counts the items of baskets ⌊p·n/parts⌋ … ⌊(p + 1)·n/parts⌋ − 1 (merged by
 * adding the integer counts, exact). Step `'mine'`: part p mines the itemsets whose first item in the miner's order
 * is owned by p (`owner`), see `MiningScope`; merged by concatenation, in any order — `frequentItemsets` sorts the
 * union into its canonical order. `finish` returns the merged partial.
 *
 * Cost: `'supports'` O(line items of the part's baskets); `'mine'` the miner's first pass over all baskets (each part
 * builds its own tid-lists, FP-tree or recoded baskets) plus the search of its own classes.
 */
export const itemsetPartsAggregate = Object.freeze({
  init: (options: ItemsetPartsOptions): ItemsetPartsPartial =>
    options.step === 'supports'
      ? { kind: 'supports', support: new Int32Array(options.width) }
      : { kind: 'itemsets', offsets: new Int32Array(1), codes: new Int32Array(0), counts: new Int32Array(0) },
  summarize: (batch: RecordBatch | Table, options: ItemsetPartsOptions): ItemsetPartsPartial => {
    const parts = partsOf(batch, options.parts);
    return options.step === 'supports'
      ? { kind: 'supports', support: supports(options, parts) }
      : { kind: 'itemsets', ...mine(options, parts) };
  },
  merge,
  finish: (partial: ItemsetPartsPartial): ItemsetPartsPartial => partial,
});
