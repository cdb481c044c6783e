import {
  asTable,
  checkDateUnit,
  ClienteleError,
  describeValue,
  DropCounter,
  getColumn,
  knownOptions,
  NO_DATE,
  optionNames,
  readDates,
  readKeys,
  readNumericVector,
  TypeId,
} from '../table/internal';
import type { DateUnit, DropReport } from '../table/internal';

/**
 * Customers' ordered purchases, flat: sequence s holds events `sequenceOffsets[s] … sequenceOffsets[s + 1] − 1`,
 * in ascending time; event e happened at `times[e]` and holds the item codes `items[eventOffsets[e] … eventOffsets[e
 * + 1] − 1]`, distinct and ascending; `names[code]` is the item, and code order is name order. What
 * {@link frequentSequences} reads.
 */
export interface Sequences {
  readonly kind: 'sequences';
  /** Number of sequences (customers): the denominator of support. */
  readonly count: number;
  /** The customer of each sequence, as text. */
  readonly ids: readonly string[];
  readonly sequenceOffsets: Int32Array;
  /** The time of each event: epoch days for dates and timestamps, the column's own numbers otherwise, 1, 2, … for lists. */
  readonly times: Float64Array;
  readonly eventOffsets: Int32Array;
  readonly items: Int32Array;
  /** Distinct item names in JS string order. */
  readonly names: readonly string[];
  /** What the times are: epoch days (`'day'`), the time column's numbers (`'number'`) or positions in a list (`'position'`). */
  readonly timeUnit: 'day' | 'number' | 'position';
  /** For sequences built from a table: input rows, rows kept, rows dropped by reason. */
  readonly rows?: DropReport;
}

/** Sequences as lists: one list per customer, of events, each a list of the item names bought together. */
export type SequenceLists = readonly (readonly (readonly (string | number)[])[])[];

/** Options of {@link customerSequences}. */
export interface CustomerSequencesOptions {
  /** Column of customer (sequence) ids. Default `'customer'`. */
  customer?: string;
  /**
   * Column that orders a customer's purchases: dates, timestamps or ISO strings (read as UTC days, so purchases on
   * one day form one event), or plain numbers (event ids or times, used as they are). Default `'date'`.
   */
  date?: string;
  /** Column of items. Default `'item'`. */
  item?: string;
  /** Read a numeric time column as dates in this unit (`'day'`, `'s'`, `'ms'`, `'yyyymmdd'`) instead of as plain numbers. */
  dateUnit?: DateUnit;
}

const CUSTOMER_SEQUENCES_OPTION_NAMES = optionNames<CustomerSequencesOptions>({
  customer: true,
  date: true,
  item: true,
  dateUnit: true,
});

/**
 * Each customer's purchases as a sequence of events, for sequential pattern mining: the rows of a customer are
 * ordered by time, and the items bought at one time form one event (an itemset, an "element" of the sequence).
 * What an analyst uses it for: the input of {@link frequentSequences} ("what do customers buy after X?").
 *
 * Conventions (as arulesSequences' transactions with `sequenceID` and `eventID`): a dates, timestamps or ISO
 * strings time column is read as UTC calendar days, so gaps and windows are counted in days; a numeric column is
 * used as it is (event ids or times in the user's unit) unless `dateUnit` says it holds dates. An item bought twice
 * at one time counts once. Rows with a null customer (`nullCustomer`), a null item (`nullKey`) or a missing or
 * unreadable time (`invalidDate`: null, NaN, ±Infinity) are dropped and counted in `rows`.
 *
 * Cost: O(n log n) for n rows (each customer's rows are sorted by time).
 *
 * Reference: Agrawal & Srikant (1995), "Mining sequential patterns", ICDE, section 2 (customer sequences).
 *
 * @param tx transactions: an Arrow table or anything `asTable` accepts, one row per item bought
 * @param options customer (`'customer'`), date (`'date'`), item (`'item'`), dateUnit (none: numbers as they are)
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE` for a bad column; `INVALID_OPTION`; `EMPTY_INPUT` when
 *   no row has a customer, a time and an item
 * @example
 * const purchases = { customer: ['a', 'a', 'a', 'b', 'b'], date: ['2024-01-02', '2024-01-01', '2024-01-02', '2024-03-01', '2024-03-05'], item: ['milk', 'bread', 'eggs', 'bread', 'milk'] };
 * const s = customerSequences(purchases);
 * sequenceLists(s); // [[['bread'], ['eggs', 'milk']], [['bread'], ['milk']]]
 * s.times[3] - s.times[2]; // 4
 */
export function customerSequences(tx: unknown, options: CustomerSequencesOptions = {}): Sequences {
  options = knownOptions(options, CUSTOMER_SEQUENCES_OPTION_NAMES, 'customerSequences');
  const fn = 'customerSequences';
  const names = {
    customer: columnName(options.customer, 'customer', 'customer', fn),
    time: columnName(options.date, 'date', 'date', fn),
    item: columnName(options.item, 'item', 'item', fn),
  };
  const unit = checkDateUnit(options.dateUnit, fn);
  const table = asTable(tx);
  const customer = readKeys(table, names.customer, fn, 'customer');
  const item = readKeys(table, names.item, fn, 'item');
  const { times, timeUnit } = readTimes(table, names.time, fn, unit);
  const rows = table.numRows;
  const drops = new DropCounter();
  const keep = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    if (customer.codes[i] < 0) drops.drop('nullCustomer', i);
    else if (item.codes[i] < 0) drops.drop('nullKey', i);
    else if (!Number.isFinite(times[i])) drops.drop('invalidDate', i);
    else keep[i] = 1;
  }
  if (drops.total === rows) {
    throw new ClienteleError(
      'EMPTY_INPUT',
      `${fn}: no row has a customer, a time and an item (${rows} rows); check the columns "${names.customer}", ` +
        `"${names.time}" and "${names.item}"`,
    );
  }
  const itemNames = Array.from({ length: item.size }, (_, c) => String(item.keys.get(c)));
  const { rank, sorted } = rankByName(itemNames);
  const itemRank = new Int32Array(rows);
  for (let i = 0; i < rows; i++) if (keep[i] === 1) itemRank[i] = rank[item.codes[i]];
  // rows bucketed by customer (counting sort), then each customer's rows sorted by time and item
  const m = customer.size;
  const start = new Int32Array(m + 1);
  for (let i = 0; i < rows; i++) if (keep[i] === 1) start[customer.codes[i] + 1]++;
  for (let c = 0; c < m; c++) start[c + 1] += start[c];
  const order = new Int32Array(start[m]);
  const fill = start.slice(0, m);
  for (let i = 0; i < rows; i++) if (keep[i] === 1) order[fill[customer.codes[i]]++] = i;
  const byTimeThenItem = (a: number, b: number) => times[a] - times[b] || itemRank[a] - itemRank[b];
  for (let c = 0; c < m; c++) order.subarray(start[c], start[c + 1]).sort(byTimeThenItem);
  const layout = eventLayout(order, start, times, itemRank);
  const ids: string[] = [];
  for (let c = 0; c < m; c++) if (start[c + 1] > start[c]) ids.push(String(customer.keys.get(c)));
  return Object.freeze({
    kind: 'sequences' as const,
    ...layout,
    ids: Object.freeze(ids),
    names: Object.freeze(sorted),
    timeUnit,
    rows: Object.freeze({
      rows,
      kept: rows - drops.total,
      dropped: Object.freeze({ ...drops.counts }),
      firstRow: Object.freeze({ ...drops.first }),
      total: drops.total,
    }),
  });
}

/**
 * Sequences from lists: one list per customer, each a list of events, each event a list of the items bought
 * together; event i of a list happens at time i + 1 (as arulesSequences' `eventID`s 1, 2, …), so gaps count
 * events. Duplicates within an event count once; an empty event is an event where nothing was bought.
 *
 * @example
 * const s = sequencesFromLists([[['b', 'a'], ['c']], [['a'], ['a', 'c']]]);
 * s.count; // 2
 * sequenceLists(s); // [[['a', 'b'], ['c']], [['a'], ['a', 'c']]]
 */
export function sequencesFromLists(lists: SequenceLists): Sequences {
  const fn = 'sequencesFromLists';
  if (!Array.isArray(lists)) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: expected an array of sequences, each an array of events, each an array of item names (found ${describeValue(lists)})`,
    );
  }
  const codes = new Map<string, number>();
  const itemNames: string[] = [];
  let entries = 0;
  lists.forEach((sequence: unknown, s) => {
    if (!Array.isArray(sequence)) {
      throw new ClienteleError(
        'INVALID_INPUT',
        `${fn}: sequence ${s} must be an array of events, each an array of item names (found ${describeValue(sequence)}); e.g. [['bread'], ['milk', 'eggs']]`,
        { row: s },
      );
    }
    sequence.forEach((event: unknown, e) => {
      if (!Array.isArray(event)) {
        throw new ClienteleError(
          'INVALID_INPUT',
          `${fn}: sequence ${s} event ${e} must be an array of item names (found ${describeValue(event)}); write ['milk'] for one item`,
          { row: s },
        );
      }
      for (const entry of event as unknown[]) {
        if (typeof entry !== 'string' && typeof entry !== 'number') {
          throw new ClienteleError(
            'INVALID_VALUE',
            `${fn}: sequence ${s} event ${e} holds ${describeValue(entry)}; items must be names (strings or numbers)`,
            { row: s },
          );
        }
        const name = String(entry);
        if (!codes.has(name)) {
          codes.set(name, itemNames.length);
          itemNames.push(name);
        }
      }
      entries += event.length;
    });
  });
  const { rank, sorted } = rankByName(itemNames);
  // one row per entry, already grouped by sequence and ordered by time: the table path's layout step does the rest
  const times = new Float64Array(entries);
  const itemRank = new Int32Array(entries);
  const order = new Int32Array(entries);
  const start = new Int32Array(lists.length + 1);
  let empty = false;
  let row = 0;
  (lists as SequenceLists).forEach((sequence, s) => {
    sequence.forEach((event, e) => {
      if (event.length === 0) empty = true;
      const first = row;
      for (const entry of event) {
        times[row] = e + 1;
        itemRank[row] = rank[codes.get(String(entry)) as number];
        order[row] = row;
        row++;
      }
      order.subarray(first, row).sort((a, b) => itemRank[a] - itemRank[b]);
    });
    if (sequence.length === 0) empty = true;
    start[s + 1] = row;
  });
  const layout = !empty ? eventLayout(order, start, times, itemRank) : listLayout(lists as SequenceLists, codes, rank);
  return Object.freeze({
    kind: 'sequences' as const,
    ...layout,
    count: lists.length,
    ids: Object.freeze(lists.map((_, s) => String(s))),
    names: Object.freeze(sorted),
    timeUnit: 'position' as const,
  });
}

/**
 * The events of every sequence as lists of item names, for inspection and tests: one array per sequence, one array
 * per event, each event's items in name order.
 *
 * Cost: O(total items).
 *
 * @example
 * sequenceLists(sequencesFromLists([[['milk', 'bread']], [['eggs'], ['milk']]])); // [[['bread', 'milk']], [['eggs'], ['milk']]]
 */
export function sequenceLists(sequences: Sequences): string[][][] {
  if (!isSequences(sequences)) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `sequenceLists: the argument must be sequences (found ${describeValue(sequences)}); pass the result of customerSequences or sequencesFromLists`,
    );
  }
  const { count, sequenceOffsets, eventOffsets, items, names } = sequences;
  const out: string[][][] = [];
  for (let s = 0; s < count; s++) {
    const events: string[][] = [];
    for (let e = sequenceOffsets[s]; e < sequenceOffsets[s + 1]; e++) {
      events.push(Array.from(items.subarray(eventOffsets[e], eventOffsets[e + 1]), (c) => names[c]));
    }
    out.push(events);
  }
  return out;
}

/** Whether `x` is a {@link Sequences} object. */
export function isSequences(x: unknown): x is Sequences {
  return (
    typeof x === 'object' &&
    x !== null &&
    (x as Sequences).kind === 'sequences' &&
    (x as Sequences).sequenceOffsets instanceof Int32Array &&
    (x as Sequences).eventOffsets instanceof Int32Array
  );
}

// ---------------------------------------------------------------------------------------------------------------

function columnName(value: unknown, option: string, fallback: string, fn: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option ${option} must be a column name (found ${describeValue(value)}); leave it out for '${fallback}'`,
    );
  }
  return value;
}

/** The time column as numbers (NaN where missing): plain numbers as they are, dates as epoch days. */
function readTimes(
  table: ReturnType<typeof asTable>,
  name: string,
  fn: string,
  unit: DateUnit | undefined,
): { times: Float64Array; timeUnit: 'day' | 'number' } {
  const vector = getColumn(table, name, fn, 'date');
  const typeId = vector.type.typeId;
  if (unit === undefined && (typeId === TypeId.Int || typeId === TypeId.Float || typeId === TypeId.Decimal)) {
    return { times: readNumericVector(vector, name, fn).values, timeUnit: 'number' };
  }
  const days = readDates(table, name, fn, 'date', unit).days;
  const times = new Float64Array(days.length);
  for (let i = 0; i < days.length; i++) times[i] = days[i] === NO_DATE ? NaN : days[i];
  return { times, timeUnit: 'day' };
}

/** Each code's rank among the names sorted in JS string order, and the sorted names. */
function rankByName(names: readonly string[]): { rank: Int32Array; sorted: string[] } {
  const order = names.map((_, c) => c).sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0));
  const rank = new Int32Array(names.length);
  order.forEach((c, r) => (rank[c] = r));
  return { rank, sorted: order.map((c) => names[c]) };
}

/**
 * The event layout of rows already grouped by sequence (`order[start[s] … start[s + 1] − 1]`, empty groups skipped)
 * and sorted by time then item: equal times make one event, an item repeated in an event counts once.
 */
function eventLayout(
  order: Int32Array,
  start: Int32Array,
  times: Float64Array,
  itemRank: Int32Array,
): Pick<Sequences, 'count' | 'sequenceOffsets' | 'times' | 'eventOffsets' | 'items'> {
  const groups = start.length - 1;
  let count = 0;
  let events = 0;
  for (let g = 0; g < groups; g++) {
    if (start[g + 1] === start[g]) continue;
    count++;
    for (let k = start[g]; k < start[g + 1]; k++)
      if (k === start[g] || times[order[k]] !== times[order[k - 1]]) events++;
  }
  const sequenceOffsets = new Int32Array(count + 1);
  const eventTimes = new Float64Array(events);
  const eventOffsets = new Int32Array(events + 1);
  const items = new Int32Array(order.length);
  let s = 0;
  let e = -1;
  let used = 0;
  for (let g = 0; g < groups; g++) {
    if (start[g + 1] === start[g]) continue;
    for (let k = start[g]; k < start[g + 1]; k++) {
      const row = order[k];
      if (k === start[g] || times[row] !== times[order[k - 1]]) {
        e++;
        eventTimes[e] = times[row];
        eventOffsets[e] = used;
      } else if (itemRank[row] === items[used - 1]) continue;
      items[used++] = itemRank[row];
    }
    sequenceOffsets[++s] = e + 1;
  }
  eventOffsets[events] = used;
  return { count, sequenceOffsets, times: eventTimes, eventOffsets, items: items.slice(0, used) };
}

/** The layout of lists that hold an empty event or sequence (the general path: every event and sequence kept). */
function listLayout(
  lists: SequenceLists,
  codes: ReadonlyMap<string, number>,
  rank: Int32Array,
): Pick<Sequences, 'sequenceOffsets' | 'times' | 'eventOffsets' | 'items'> {
  const sequenceOffsets = new Int32Array(lists.length + 1);
  const times: number[] = [];
  const eventOffsets: number[] = [0];
  const items: number[] = [];
  lists.forEach((sequence, s) => {
    sequence.forEach((event, e) => {
      const ranks = [...new Set(event.map((entry) => rank[codes.get(String(entry)) as number]))].sort((a, b) => a - b);
      items.push(...ranks);
      times.push(e + 1);
      eventOffsets.push(items.length);
    });
    sequenceOffsets[s + 1] = times.length;
  });
  return {
    sequenceOffsets,
    times: Float64Array.from(times),
    eventOffsets: Int32Array.from(eventOffsets),
    items: Int32Array.from(items),
  };
}
