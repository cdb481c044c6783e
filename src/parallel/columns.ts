/** The columns of a transaction log (`quantity` and `price` when the amount is computed). */
const CUSTOMER_LOG = {
  customer: 'customer',
  date: 'date',
  amount: 'amount',
  transaction: undefined,
  quantity: undefined,
  price: undefined,
};

/** Each aggregate's column options and their defaults (the columns its `summarize` reads). */
const COLUMN_OPTIONS: Record<string, Record<string, string | undefined>> = {
  customerSummary: { ...CUSTOMER_LOG },
  rfm: { ...CUSTOMER_LOG },
  itemCounts: { transaction: 'transaction', item: 'item' },
  pairCounts: { transaction: 'transaction', item: 'item' },
  abcTotals: { key: 'customer', value: 'amount' },
  kmeansStats: { columns: undefined },
};

/**
 * The columns an aggregate reads, from its options and their defaults, so that only those are copied to the
 * workers. Undefined (send every column) for an aggregate not listed here or options that are not plain names;
 * the aggregate then reports a bad option itself, exactly as in one thread.
 */
export function columnsFor(name: string, options: unknown): string[] | undefined {
  const spec = Object.hasOwn(COLUMN_OPTIONS, name) ? COLUMN_OPTIONS[name] : undefined;
  if (spec === undefined) return undefined;
  const given = (options ?? {}) as Record<string, unknown>;
  if (typeof given !== 'object') return undefined;
  const columns: string[] = [];
  for (const [option, fallback] of Object.entries(spec)) {
    const value = given[option] ?? fallback;
    if (value === undefined) continue;
    if (typeof value === 'string') columns.push(value);
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) columns.push(...(value as string[]));
    else return undefined;
  }
  return columns;
}
