import { addCompensated } from '../math/internal';
import { isAdmissible, NO_DATE, resized } from '../table/internal';
import type { DropCounter } from '../table/internal';

/** "No day yet" for the first (min) and last (max) day of a customer. */
export const NO_DAY_MIN = 2147483647;
export const NO_DAY_MAX = -2147483648;

/** How the kernel stages and partitions rows; tests shrink it to reach every path with small inputs. */
export interface KernelTuning {
  /** Rows staged before one aggregation sweep, at least. Default 2^21 (32 MB of staging plus 32 MB of scratch). */
  readonly stage: number;
  /**
   * Rows staged at most: the stage grows to twice the customers up to this, so that one sweep meets each
   * customer's state a couple of times rather than once. Default 2^23 (256 MB with the scratch). Default: `stage`.
   */
  readonly maxStage?: number;
  /** log2 of the customers per radix partition, at least. Default 12: 4096 × 36 bytes of state = 144 kB, inside L2. */
  readonly partBits: number;
  /**
   * Partitions at most: beyond about 500 the scatter writes to more places at once than the TLB maps (at 10M
   * customers, 2,442 partitions made the scatter 20× slower), so the partitions widen instead. Default 512.
   */
  readonly maxParts?: number;
  /** Below this many customers the state stays in cache anyway and staged rows are added unpartitioned. Default 2^17 (4.7 MB). */
  readonly partitionFrom: number;
}

const TUNING: KernelTuning = Object.freeze({
  stage: 1 << 21,
  maxStage: 1 << 23,
  partBits: 12,
  maxParts: 512,
  partitionFrom: 1 << 17,
});

/** The per-customer statistics of a kernel, one array per statistic, indexed by customer id. */
export interface CustomerColumns {
  /** Kept transactions per customer. */
  readonly count: Int32Array;
  /** Epoch day of the first and last kept transaction (2^31 − 1 and −2^31 while there is none). */
  readonly first: Int32Array;
  readonly last: Int32Array;
  /** Neumaier sum of the amounts and its compensation, kept apart so that merges stay compensated. */
  readonly sum: Float64Array;
  readonly compensation: Float64Array;
  /** Sum of squared amounts (for the spread of a customer's spend). */
  readonly sumSquares: Float64Array;
}

/**
 * The one per-customer aggregation loop: count, first and last day, Neumaier-compensated sum of amounts and sum of
 * squares per customer id, with the drop rules applied to every row. Rows are added in row order (one table, or
 * the batches of a stream mapped to one id space); each customer's rows are folded in that order, so the sums do
 * not depend on how the rows were cut into batches.
 *
 * Drop rules, checked in this order for each row (a row is counted once, under the first that applies):
 * `nullCustomer` (id < 0), `invalidDate` (null or unreadable), `invalidAmount` (null, NaN or ±Infinity: the admission policy of table/admission.ts), `afterAsOf` (day
 * after `latest`), `negativeAmount` (amount below `lowest`: 0 with `returns: 'exclude'`, else −∞).
 *
 * Speed: at a million customers the state (36 bytes per customer) is far larger than the caches, and adding rows
 * one by one costs a cache miss or two per row. Kept rows are therefore staged (2^21 at a time, up to twice the
 * customers and 2^23 for many customers; a whole table is scattered from its own arrays) and radix-partitioned
 * by the high bits of their customer id (a stable counting sort, so each customer's rows keep their order) before
 * they are added partition by partition, each partition's state inside L2 — the partitioned hash aggregation of
 * database engines (Manegold, Boncz & Kersten 2000, "Optimizing database architecture for the new bottleneck:
 * memory access"). 3× faster than the direct loop at 1M customers and 10M rows; the sums are bit-identical.
 * Below 2^17 customers the state fits the cache and rows are added directly.
 */
export class CustomerKernel {
  size = 0;
  /** Latest kept day. */
  maxDay = NO_DAY_MAX;
  // per customer, one array per statistic (within a partition the state is in cache, so the layout is free, and
  // the arrays are handed out as they are at the end)
  private state: Mutable<CustomerColumns> = emptyState(0);
  private staged = 0;
  /** log2 of the customers per partition; changes only while no row is staged. */
  private bits: number;
  /** Staged rows per partition, at partition + 1 (counted while staging, so the flush needs no counting pass). */
  private histogram = new Int32Array(2);
  private stageCodes: Int32Array | undefined;
  private stageDays: Int32Array | undefined;
  private stageAmounts: Float64Array | undefined;
  private scratch: { codes: Int32Array; days: Int32Array; amounts: Float64Array } | undefined;

  /**
   * @param latest last day kept (`asOf` when given, else 2^31 − 1)
   * @param lowest smallest amount kept (0 with `returns: 'exclude'`, else −∞)
   * @param size customers expected (ids below it); `reserve` raises it
   */
  constructor(
    private readonly latest: number,
    private readonly lowest: number,
    size = 0,
    private readonly tuning: KernelTuning = TUNING,
  ) {
    this.bits = tuning.partBits;
    this.reserve(size);
  }

  /** Makes room for customer ids below `size` (new customers start with no row). */
  reserve(size: number): void {
    if (size <= this.size) return;
    const capacity = this.state.count.length;
    if (size > capacity) {
      const next = Math.max(size, Math.min(2 * capacity, size + (1 << 24)));
      const state = emptyState(next);
      for (const key of STATISTICS) state[key].set(this.state[key].subarray(0, this.size) as never);
      this.state = state;
    }
    this.state.first.fill(NO_DAY_MIN, this.size, size);
    this.state.last.fill(NO_DAY_MAX, this.size, size);
    this.size = size;
    if (this.staged === 0) {
      const maxParts = this.tuning.maxParts ?? Infinity;
      this.bits = Math.max(this.tuning.partBits, Math.ceil(Math.log2(size / maxParts)));
      this.histogram = new Int32Array(2);
    }
    const parts = (size >>> this.bits) + 1;
    if (this.histogram.length < parts + 1) {
      const histogram = new Int32Array(parts + 1);
      histogram.set(this.histogram);
      this.histogram = histogram;
    }
  }

  /**
   * Adds `n` rows: customer ids (−1 for a null key, every other id below `size`), epoch days (`NO_DATE` when null
   * or unreadable) and amounts (NaN when null). Dropped rows are counted in `drops` with their row number (0 … n − 1).
   *
   * With `from` and `to`, the kernel holds only customers `from … to − 1` (as ids 0 … to − from − 1): kept rows of
   * other customers are skipped, while drops and `maxDay` still cover every row — how worker threads split one
   * table by customer.
   */
  add(
    codes: Int32Array,
    days: Int32Array,
    amounts: Float64Array,
    n: number,
    drops: DropCounter,
    from = 0,
    to = 2147483647,
  ): void {
    if (this.staged === 0 && n >= this.stageLimit() && this.size >= this.tuning.partitionFrom) {
      this.addLarge(codes, days, amounts, n, drops, from, to);
      return;
    }
    const latest = this.latest;
    const lowest = this.lowest;
    let maxDay = this.maxDay;
    // hand-written: the one pass over every row, staging the kept ones; the bad-row test is one predictable branch
    let stageCodes = this.stageCodes;
    if (stageCodes === undefined) {
      const room = Math.min(this.stageLimit(), Math.max(n, Math.min(1024, this.tuning.stage)));
      stageCodes = this.stageCodes = new Int32Array(room);
      this.stageDays = new Int32Array(room);
      this.stageAmounts = new Float64Array(room);
    }
    let stageDays = this.stageDays!;
    const bits = this.bits;
    let histogram = this.histogram;
    let stageAmounts = this.stageAmounts!;
    let m = this.staged;
    for (let i = 0; i < n; i++) {
      const c = codes[i];
      const d = days[i];
      const a = amounts[i];
      if (!isKept(c, d, a, latest, lowest)) {
        drops.drop(dropReason(c, d, a, latest), i);
        continue;
      }
      if (d > maxDay) maxDay = d;
      if (c < from || c >= to) continue;
      if (m === stageCodes.length) {
        if (m < this.stageLimit()) {
          // a stream of small batches, or more customers: widen the stage up to its full size
          const room = Math.min(this.stageLimit(), 2 * m);
          stageCodes = this.stageCodes = resized(stageCodes, room);
          stageDays = this.stageDays = resized(stageDays, room);
          stageAmounts = this.stageAmounts = resized(stageAmounts, room);
        } else {
          this.staged = m;
          this.flush();
          histogram = this.histogram;
          m = 0;
        }
      }
      const id = c - from;
      stageCodes[m] = id;
      stageDays[m] = d;
      stageAmounts[m] = a;
      histogram[(id >>> bits) + 1]++;
      m++;
    }
    this.staged = m;
    this.maxDay = maxDay;
  }

  /**
   * Folds in the statistics of later rows summarised elsewhere (a worker's slice): customer `ids[j]` of this
   * kernel takes `p`'s customer j — counts add, days widen, the Neumaier sum adds `p`'s sum and then its
   * compensation, so the total keeps its error term.
   */
  merge(ids: Int32Array, p: CustomerColumns, maxDay: number): void {
    this.flush(); // staged rows come first in row order
    const { count, first, last, sum, compensation, sumSquares } = this.state;
    for (let j = 0; j < ids.length; j++) {
      const c = ids[j];
      count[c] += p.count[j];
      if (p.first[j] < first[c]) first[c] = p.first[j];
      if (p.last[j] > last[c]) last[c] = p.last[j];
      addCompensated(sum, compensation, c, p.sum[j]);
      compensation[c] += p.compensation[j];
      sumSquares[c] += p.sumSquares[j];
    }
    if (maxDay > this.maxDay) this.maxDay = maxDay;
  }

  /**
   * The statistics of all rows added, one array per statistic: views of the kernel's own arrays (no copy), so read
   * them before adding more rows.
   */
  columns(): CustomerColumns {
    this.flush();
    const out = {} as Mutable<CustomerColumns>;
    for (const key of STATISTICS)
      (out as Record<string, Int32Array | Float64Array>)[key] = this.state[key].subarray(0, this.size);
    return out;
  }

  /** The stage's size for the customers so far: twice their number, within the tuning's bounds. */
  private stageLimit(): number {
    const { stage, maxStage = stage } = this.tuning;
    return Math.max(stage, Math.min(maxStage, 2 * this.size));
  }

  /** Adds the staged rows, partition by partition. */
  private flush(): void {
    const m = this.staged;
    if (m === 0) return;
    this.staged = 0;
    const codes = this.stageCodes!;
    const days = this.stageDays!;
    const amounts = this.stageAmounts!;
    const offsets = this.histogram;
    this.histogram = new Int32Array(offsets.length);
    if (this.size < this.tuning.partitionFrom) {
      foldRows(this.state, codes, days, amounts, m);
      return;
    }
    this.scatterFold(codes, days, amounts, 0, m, 0, m, offsets);
  }

  /**
   * Rows at least a stage long (a whole table) skip the stage: for each stage-long chunk, one pass counts the drops
   * and the kept rows per partition, a second scatters the kept rows from the source straight into the scratch
   * arrays, then they are folded — one copy of each row instead of two (10 % faster and 30 MB smaller than staging
   * at 10M rows: 955 against 1058 ms, medians of 6 alternated runs of `rfm`).
   */
  private addLarge(
    codes: Int32Array,
    days: Int32Array,
    amounts: Float64Array,
    n: number,
    drops: DropCounter,
    from: number,
    to: number,
  ): void {
    const latest = this.latest;
    const lowest = this.lowest;
    const bits = this.bits;
    const chunk = this.stageLimit();
    let maxDay = this.maxDay;
    for (let start = 0; start < n; start += chunk) {
      const end = Math.min(n, start + chunk);
      const histogram = this.histogram;
      let kept = 0;
      for (let i = start; i < end; i++) {
        const c = codes[i];
        const d = days[i];
        const a = amounts[i];
        if (!isKept(c, d, a, latest, lowest)) {
          drops.drop(dropReason(c, d, a, latest), i);
          continue;
        }
        if (d > maxDay) maxDay = d;
        if (c < from || c >= to) continue;
        histogram[((c - from) >>> bits) + 1]++;
        kept++;
      }
      this.histogram = new Int32Array(histogram.length);
      this.scatterFold(codes, days, amounts, start, end, from, kept, histogram);
    }
    this.maxDay = maxDay;
  }

  /**
   * Folds the kept rows of `codes[start … end − 1]` (the customers `from …` of this kernel), `m` of them, counted per
   * partition in `offsets` (at partition + 1): a stable counting sort by partition into the scratch arrays, then
   * the fold, partition after partition.
   */
  private scatterFold(
    codes: Int32Array,
    days: Int32Array,
    amounts: Float64Array,
    start: number,
    end: number,
    from: number,
    m: number,
    offsets: Int32Array,
  ): void {
    const bits = this.bits;
    const parts = offsets.length - 1;
    const to = from + this.size;
    for (let p = 0; p < parts; p++) offsets[p + 1] += offsets[p];
    if (this.scratch === undefined || this.scratch.codes.length < m) {
      const room = Math.max(m, this.stageLimit());
      this.scratch = { codes: new Int32Array(room), days: new Int32Array(room), amounts: new Float64Array(room) };
    }
    const { latest, lowest } = this;
    const out = this.scratch;
    const outCodes = out.codes;
    const outDays = out.days;
    const outAmounts = out.amounts;
    const next = offsets.slice(0, parts);
    for (let i = start; i < end; i++) {
      const c = codes[i];
      const d = days[i];
      const a = amounts[i];
      if (!isKept(c, d, a, latest, lowest) || c < from || c >= to) continue;
      const id = c - from;
      const at = next[id >>> bits]++;
      outCodes[at] = id;
      outDays[at] = d;
      outAmounts[at] = a;
    }
    foldRows(this.state, outCodes, outDays, outAmounts, m);
  }
}

/** The drop rules' test: a row is kept when it has a customer, a date, an amount, no date after `latest`, no amount below `lowest`. */
function isKept(c: number, d: number, a: number, latest: number, lowest: number): boolean {
  return c >= 0 && d !== NO_DATE && isAdmissible(a) && d <= latest && a >= lowest;
}

/** Adds kept rows 0 … m − 1 to the per-customer state, in the order given. */
function foldRows(state: CustomerColumns, codes: Int32Array, days: Int32Array, amounts: Float64Array, m: number): void {
  const { count, first, last, sum, compensation, sumSquares } = state;
  for (let q = 0; q < m; q++) {
    const c = codes[q];
    const d = days[q];
    const a = amounts[q];
    count[c]++;
    if (d < first[c]) first[c] = d;
    if (d > last[c]) last[c] = d;
    addCompensated(sum, compensation, c, a); // money totals stay exact to the cent over millions of rows
    sumSquares[c] += a * a;
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const STATISTICS = ['count', 'first', 'last', 'sum', 'compensation', 'sumSquares'] as const;

function emptyState(capacity: number): Mutable<CustomerColumns> {
  return {
    count: new Int32Array(capacity),
    first: new Int32Array(capacity),
    last: new Int32Array(capacity),
    sum: new Float64Array(capacity),
    compensation: new Float64Array(capacity),
    sumSquares: new Float64Array(capacity),
  };
}

function dropReason(c: number, d: number, a: number, latest: number) {
  return c < 0
    ? 'nullCustomer'
    : d === NO_DATE
      ? 'invalidDate'
      : !isAdmissible(a)
        ? 'invalidAmount'
        : d > latest
          ? 'afterAsOf'
          : 'negativeAmount';
}
