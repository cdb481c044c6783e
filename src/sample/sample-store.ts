import { DateDay, Dictionary, Int32, Table, Utf8, makeData, makeVector, vectorFromArray } from 'apache-arrow';
import { nullRecord } from '../table/internal';
import type { Float64, Vector } from 'apache-arrow';
import { randomSource, selectionSample } from '../math/internal';
import type { RandomSource } from '../math/internal';
import { ClienteleError, deepFreeze, describeValue, knownOptions, optionNames, resized } from '../table/internal';

/** Options of {@link sampleStore}; every field is optional, the defaults are in `SAMPLE_STORE_DEFAULTS`. */
export interface SampleStoreOptions {
  /** Number of customers, an integer in 1..10,000,000. Default 1000. */
  customers?: number;
  /** Seed of the one random source everything is drawn from. Default 42. */
  seed?: number;
  /** First day of the observation window, `'YYYY-MM-DD'` (UTC) or a `Date`. Default `'2023-01-01'`. */
  start?: string | Date;
  /** Length of the window in days, an integer in 1..100,000. Default 730. */
  days?: number;
  /** Size of the product catalogue, an integer in 3..10,000 (it always holds beer and diapers). Default 60. */
  products?: number;
  /**
   * Customers make their first purchase on a uniform day in the first `acquisitionDays` days of the window, an
   * integer in 1..days. Default: half the window (so every customer has a history); `days` acquires customers up
   * to the last day, as a store that keeps growing does (lifecycle analyses then see new customers).
   */
  acquisitionDays?: number;
}

/** Column types of `SampleStore.transactions`. */
export type SampleTransactionsSchema = {
  transaction: Int32;
  customer: Utf8;
  date: DateDay;
  amount: Float64;
  items: Int32;
};

/** Column types of `SampleStore.basketItems`. */
export type SampleBasketItemsSchema = {
  transaction: Int32;
  item: Dictionary<Utf8, Int32>;
};

/** The latent variables of the ACSI model behind `SampleStore.survey`. */
export type AcsiLatent = 'expectations' | 'quality' | 'value' | 'satisfaction' | 'complaints' | 'loyalty';

/** The survey's indicator columns, each on a 1–10 integer scale. */
export type AcsiIndicator =
  | 'exp1'
  | 'exp2'
  | 'exp3'
  | 'qual1'
  | 'qual2'
  | 'qual3'
  | 'val1'
  | 'val2'
  | 'sat1'
  | 'sat2'
  | 'sat3'
  | 'comp1'
  | 'loy1'
  | 'loy2';

/** Column types of `SampleStore.survey`. */
export type SampleSurveySchema = { customer: Utf8 } & { [K in AcsiIndicator]: Int32 };

/** One structural path η_to = … + coefficient · η_from + … of the ACSI model. */
export interface AcsiPath {
  readonly from: AcsiLatent;
  readonly to: AcsiLatent;
  readonly coefficient: number;
}

/** The parameters `sampleStore` generated its data from, to compare fitted models against. */
export interface SampleStoreTruth {
  /** The observation window: day 0 is `start`, the last day is `start + days − 1`. */
  readonly window: {
    readonly start: string;
    /** `start` as days since 1970-01-01, the unit of the `date` column. */
    readonly startDay: number;
    readonly days: number;
    /** Customers are acquired (make their first purchase) on a uniform day in 0..acquisitionDays − 1. */
    readonly acquisitionDays: number;
  };
  /** BG/NBD of Fader, Hardie & Lee (2005), time unit one day: λ ~ Gamma(r, rate α), p ~ Beta(a, b). */
  readonly bgNbd: { readonly r: number; readonly alpha: number; readonly a: number; readonly b: number };
  /** Gamma-Gamma spend of Fader, Hardie & Lee (2005b): z ~ Gamma(p, rate ν), ν ~ Gamma(q, rate γ). */
  readonly gammaGamma: { readonly p: number; readonly q: number; readonly gamma: number };
  /** How baskets were filled; probabilities are per transaction. */
  readonly basket: {
    /** Product names in dictionary order; `beer` is 0 and `diapers` is 1. */
    readonly catalogue: readonly string[];
    /** Popularity of the other products: weight 1 / rank^s, rank 1 = catalogue index 2. */
    readonly zipfExponent: number;
    /** The number of other products is 1 + Poisson(amount / moneyPerExtraItem), capped at the catalogue. */
    readonly moneyPerExtraItem: number;
    /** P(diapers in basket). */
    readonly diapers: number;
    /** P(beer | no diapers). */
    readonly beerBase: number;
    /** P(beer | diapers) Monday to Friday. */
    readonly beerGivenDiapersWeekday: number;
    /** P(beer | diapers) on Saturday and Sunday (UTC calendar days). */
    readonly beerGivenDiapersWeekend: number;
  };
  /** The ACSI path model of Fornell et al. (1996) behind the survey; all latent variables have variance 1. */
  readonly acsi: {
    /** Share of customers surveyed (rounded, at least one customer). */
    readonly surveyShare: number;
    readonly paths: readonly AcsiPath[];
    /** Variance of each latent variable's disturbance ζ (1 for the exogenous `expectations`). */
    readonly residualVariance: Readonly<Record<AcsiLatent, number>>;
    /** Which latent variable each indicator measures. */
    readonly measures: Readonly<Record<AcsiIndicator, AcsiLatent>>;
    /** The indicators of each latent variable: what `acsiModel(truth.acsi.blocks)` takes. */
    readonly blocks: Readonly<Record<AcsiLatent, readonly AcsiIndicator[]>>;
    /** Standardised loading λ: indicator = round(clamp(mean + scale · (λ · η + ε), 1, 10)), ε ~ N(0, 1 − λ²). */
    readonly loadings: Readonly<Record<AcsiIndicator, number>>;
    readonly means: Readonly<Record<AcsiIndicator, number>>;
    readonly scale: number;
  };
}

/** What {@link sampleStore} returns; frozen. */
export interface SampleStore {
  readonly transactions: Table<SampleTransactionsSchema>;
  readonly basketItems: Table<SampleBasketItemsSchema>;
  readonly survey: Table<SampleSurveySchema>;
  readonly truth: SampleStoreTruth;
}

const SAMPLE_STORE_DEFAULTS = { customers: 1000, seed: 42, start: '2023-01-01', days: 730, products: 60 } as const;

// Fader, Hardie & Lee (2005) fit r = 0.243, α = 4.414 weeks to CDNOW; α = 8 days makes a typical repeat buyer
// return every few weeks while (α / (α + T))^r leaves about 35 % of customers with no repeat in 1–2 years.
const BG_NBD = { r: 0.25, alpha: 8, a: 0.8, b: 2.5 } as const;
// E[mean spend] = pγ / (q − 1) = 30 money units (Fader, Hardie & Lee 2005b, eq. 4).
const GAMMA_GAMMA = { p: 6, q: 4, gamma: 15 } as const;
const BASKET = {
  zipfExponent: 1,
  moneyPerExtraItem: 12,
  diapers: 0.08,
  beerBase: 0.06,
  beerGivenDiapersWeekday: 0.25,
  beerGivenDiapersWeekend: 0.55,
} as const;
const SURVEY_SHARE = 0.4;
const SURVEY_SCALE = 1.5;

const LATENTS: readonly AcsiLatent[] = ['expectations', 'quality', 'value', 'satisfaction', 'complaints', 'loyalty'];
// In causal order: every path's `from` comes before its `to` in LATENTS. Satisfaction lowers complaints and
// complaints lower loyalty; every other path is positive.
const ACSI_PATHS: readonly AcsiPath[] = [
  { from: 'expectations', to: 'quality', coefficient: 0.5 },
  { from: 'expectations', to: 'value', coefficient: 0.2 },
  { from: 'quality', to: 'value', coefficient: 0.5 },
  { from: 'expectations', to: 'satisfaction', coefficient: 0.15 },
  { from: 'quality', to: 'satisfaction', coefficient: 0.45 },
  { from: 'value', to: 'satisfaction', coefficient: 0.3 },
  { from: 'satisfaction', to: 'complaints', coefficient: -0.5 },
  { from: 'satisfaction', to: 'loyalty', coefficient: 0.6 },
  { from: 'complaints', to: 'loyalty', coefficient: -0.2 },
];
/** indicator, latent it measures, loading, mean on the 1–10 scale (complaints are rare, so low). */
const INDICATORS: readonly (readonly [AcsiIndicator, AcsiLatent, number, number])[] = [
  ['exp1', 'expectations', 0.75, 7],
  ['exp2', 'expectations', 0.8, 7],
  ['exp3', 'expectations', 0.7, 7],
  ['qual1', 'quality', 0.85, 7],
  ['qual2', 'quality', 0.8, 7],
  ['qual3', 'quality', 0.8, 7],
  ['val1', 'value', 0.85, 7],
  ['val2', 'value', 0.8, 7],
  ['sat1', 'satisfaction', 0.9, 7],
  ['sat2', 'satisfaction', 0.85, 7],
  ['sat3', 'satisfaction', 0.8, 7],
  ['comp1', 'complaints', 0.8, 3],
  ['loy1', 'loyalty', 0.85, 7],
  ['loy2', 'loyalty', 0.8, 7],
];

const GROCERIES = [
  'milk',
  'bread',
  'eggs',
  'bananas',
  'butter',
  'cheese',
  'yogurt',
  'apples',
  'coffee',
  'tomatoes',
  'potatoes',
  'onions',
  'chicken',
  'pasta',
  'rice',
  'orange juice',
  'cereal',
  'carrots',
  'lettuce',
  'ground beef',
  'sugar',
  'flour',
  'tea',
  'water',
  'soda',
  'chips',
  'cookies',
  'chocolate',
  'ice cream',
  'frozen pizza',
  'ham',
  'bacon',
  'sausages',
  'salmon',
  'tuna',
  'olive oil',
  'salt',
  'ketchup',
  'mustard',
  'mayonnaise',
  'jam',
  'honey',
  'peanut butter',
  'oranges',
  'lemons',
  'grapes',
  'strawberries',
  'cucumbers',
  'garlic',
  'toilet paper',
  'paper towels',
  'dish soap',
  'laundry detergent',
  'shampoo',
  'toothpaste',
  'wine',
  'baby wipes',
  'candles',
] as const;

const MS_PER_DAY = 86_400_000;
const BEER = 0;
const DIAPERS = 1;

/** The options sampleStore takes; every other name is refused with a did-you-mean. */
const SAMPLE_STORE_OPTION_NAMES = optionNames<SampleStoreOptions>({
  customers: true,
  seed: true,
  start: true,
  days: true,
  products: true,
  acquisitionDays: true,
});

/**
 * A deterministic synthetic store: transactions, basket contents and a satisfaction survey whose generating
 * parameters are known, for examples, tests and benchmarks of every analysis in clientele.
 *
 * Transactions follow the BG/NBD story (Fader, Hardie & Lee 2005, "Counting your customers the easy way",
 * Marketing Science 24(2):275–284, §3): customer i is acquired with a first purchase on a uniform day in the
 * first `acquisitionDays` of the window (default half of it); while alive, purchases arrive as a Poisson process with rate λ_i ~ Gamma(r, α);
 * after each repeat purchase the customer drops out with probability p_i ~ Beta(a, b). Each amount is
 * z ~ Gamma(p, ν_i) with ν_i ~ Gamma(q, γ) (the Gamma-Gamma model of Fader, Hardie & Lee 2005b, "RFM and CLV",
 * Journal of Marketing Research 42(4):415–430, §4; both gammas with rate parameters), rounded to cents, at
 * least 0.01. Rows are sorted by date then customer; `transaction` numbers them 1..n in that order.
 *
 * Baskets (`basketItems`, one row per product in a transaction, products in catalogue order): 1 +
 * Poisson(amount / 12) distinct other products drawn with Zipf(1) popularity; diapers with probability 0.08; beer
 * with probability 0.55 given diapers on a Saturday or Sunday, 0.25 given diapers on a weekday, 0.06 otherwise
 * (the planted "beer and diapers" rule: lift ≈ 3.3 on weekdays, ≈ 5.5 on weekends).
 *
 * Survey: 40 % of customers (Knuth's selection sampling, TAOCP vol. 2 §3.4.2 Algorithm S) answer 14 ACSI items;
 * standardised latent variables follow the ACSI paths of Fornell et al. (1996, Journal of Marketing 60(4):7–18,
 * Figure 1) with coefficients in `truth.acsi.paths`, and item = round(clamp(mean + 1.5 · (λ·η + ε), 1, 10)).
 *
 * Units: `date` in days since 1970-01-01 (Arrow DateDay); `amount` in money units. Cost: O(customers +
 * transactions + basket items) time and memory; 100,000 customers take well under a second.
 *
 * @param options `customers` (1000), `seed` (42), `start` ('2023-01-01'), `days` (730), `products` (60).
 * @throws ClienteleError `INVALID_OPTION` when an option is out of range or of the wrong kind.
 * @example
 * const store = sampleStore({ customers: 200, seed: 7 });
 * store.transactions.numRows > 200; // true: every customer buys at least once
 * store.survey.numRows;             // 80
 * store.truth.bgNbd.r;              // 0.25
 */
export function sampleStore(options: SampleStoreOptions = {}): SampleStore {
  options = knownOptions(options, SAMPLE_STORE_OPTION_NAMES, 'sampleStore');
  const { customers, seed, start, startDay, days, products, acquisitionDays } = resolveOptions(options);

  // Three independent streams, so that e.g. the survey does not change when the transaction count does.
  const master = randomSource(seed);
  const purchaseRng = randomSource(master.uint32());
  const basketRng = randomSource(master.uint32());
  const surveyRng = randomSource(master.uint32());

  const raw = simulatePurchases(purchaseRng, customers, days, acquisitionDays);
  const n = raw.length;

  // Counting sort by day, stable, so rows come out by date then customer (customers were simulated in order).
  const starts = new Int32Array(days + 1);
  for (let k = 0; k < n; k++) starts[raw.day[k] + 1]++;
  for (let d = 0; d < days; d++) starts[d + 1] += starts[d];
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[starts[raw.day[k]]++] = k;

  const transactionId = new Int32Array(n);
  const customerOf = new Int32Array(n);
  const date = new Int32Array(n);
  const amount = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const src = order[k];
    transactionId[k] = k + 1;
    customerOf[k] = raw.customer[src];
    date[k] = startDay + raw.day[src];
    amount[k] = raw.amount[src];
  }

  const catalogue = makeCatalogue(products);
  const baskets = fillBaskets(basketRng, date, amount, products);
  const surveyed = selectionSample(surveyRng, customers, Math.max(1, Math.round(SURVEY_SHARE * customers)));
  const answers = answerSurvey(surveyRng, surveyed.length);

  const ids = customerIds(customers);
  const transactions = new Table<SampleTransactionsSchema>({
    transaction: makeVector(transactionId),
    customer: utf8Column(ids, customerOf),
    date: makeVector(makeData({ type: new DateDay(), length: n, data: date })),
    amount: makeVector(amount),
    items: makeVector(baskets.items),
  });
  const basketItems = new Table<SampleBasketItemsSchema>({
    transaction: makeVector(baskets.transaction),
    item: makeVector(
      makeData({
        // A fixed dictionary id: Arrow's default takes the next value of a process-wide counter, which would make
        // the IPC bytes depend on how many dictionaries were made before.
        type: new Dictionary(new Utf8(), new Int32(), 0),
        length: baskets.item.length,
        data: baskets.item,
        dictionary: vectorFromArray(catalogue, new Utf8()),
      }),
    ),
  });
  const indicatorColumns = Object.fromEntries(INDICATORS.map(([name], j) => [name, makeVector(answers[j])])) as {
    [K in AcsiIndicator]: Vector<Int32>;
  };
  const survey = new Table<SampleSurveySchema>({ customer: utf8Column(ids, surveyed), ...indicatorColumns });

  const truth: SampleStoreTruth = {
    window: { start, startDay, days, acquisitionDays },
    bgNbd: { ...BG_NBD },
    gammaGamma: { ...GAMMA_GAMMA },
    basket: { catalogue, ...BASKET },
    acsi: { surveyShare: SURVEY_SHARE, ...acsiTruth() },
  };
  return Object.freeze({ transactions, basketItems, survey, truth: deepFreeze(truth) });
}

interface ResolvedOptions {
  customers: number;
  seed: number;
  start: string;
  startDay: number;
  days: number;
  products: number;
  acquisitionDays: number;
}

function optionError(what: string, value: unknown, fix: string): ClienteleError {
  return new ClienteleError('INVALID_OPTION', `sampleStore: ${what} (found ${describeValue(value)}); ${fix}`);
}

function checkInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw optionError(`option ${name} must be an integer in ${min}..${max}`, value, `pass e.g. ${name}: ${min * 10}`);
  }
  return value;
}

function resolveOptions(options: SampleStoreOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw optionError('options must be an object', options, 'pass e.g. { customers: 1000, seed: 42 }');
  }
  const merged = { ...SAMPLE_STORE_DEFAULTS, ...stripUndefined(options) };
  const customers = checkInteger('customers', merged.customers, 1, 10_000_000);
  const days = checkInteger('days', merged.days, 1, 100_000);
  const products = checkInteger('products', merged.products, 3, 10_000);
  const acquisitionDays =
    merged.acquisitionDays === undefined
      ? Math.max(1, Math.ceil(days / 2))
      : checkInteger('acquisitionDays', merged.acquisitionDays, 1, days);
  const seed = merged.seed;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw optionError('option seed must be a finite number', seed, 'pass e.g. seed: 42');
  }
  const startDay = parseDay(merged.start);
  const start = new Date(startDay * MS_PER_DAY).toISOString().slice(0, 10);
  if (!Number.isSafeInteger(startDay) || Math.abs(startDay) + days > 2_000_000_000) {
    throw optionError('option start is too far from 1970', merged.start, 'pass a date between 1900 and 2200');
  }
  return { customers, seed, start, startDay, days, products, acquisitionDays };
}

function stripUndefined(options: SampleStoreOptions): SampleStoreOptions {
  const out: Record<string, unknown> = nullRecord();
  for (const [key, value] of Object.entries(options)) if (value !== undefined) out[key] = value;
  return out;
}

/** Days since 1970-01-01 (UTC) of a 'YYYY-MM-DD' string or a Date. */
function parseDay(value: unknown): number {
  if (value instanceof Date || Object.prototype.toString.call(value) === '[object Date]') {
    const ms = (value as Date).getTime();
    if (!Number.isNaN(ms)) return Math.floor(ms / MS_PER_DAY);
  } else if (typeof value === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (m) {
      const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
      if (new Date(ms).toISOString().slice(0, 10) === value) return ms / MS_PER_DAY;
    }
  }
  throw optionError('option start must be a date', value, "pass a 'YYYY-MM-DD' string such as '2023-01-01' or a Date");
}

interface RawPurchases {
  length: number;
  customer: Int32Array;
  day: Int32Array;
  amount: Float64Array;
}

/**
 * BG/NBD purchase histories and Gamma-Gamma amounts, customer by customer. Time is continuous in days from the
 * window start; a purchase at time t falls on day ⌊t⌋, and the history ends at the window's end (t = days).
 * Hand-written loop over growable typed arrays: the row count is only known at the end.
 */
function simulatePurchases(rng: RandomSource, customers: number, days: number, acquisitionDays: number): RawPurchases {
  const { r, alpha, a, b } = BG_NBD;
  const { p, q, gamma } = GAMMA_GAMMA;
  let capacity = Math.max(16, customers * 6);
  let customer = new Int32Array(capacity);
  let day = new Int32Array(capacity);
  let amount = new Float64Array(capacity);
  let n = 0;

  for (let i = 0; i < customers; i++) {
    const acquired = rng.int(acquisitionDays);
    const lambda = rng.gamma(r, 1 / alpha); // λ, purchase rate per day while alive
    const dropout = rng.beta(a, b); // p, P(drop out) after each repeat purchase
    const nu = rng.gamma(q, 1 / gamma); // ν, rate of the customer's spend distribution (mean spend p/ν)
    const spendScale = 1 / nu;
    let t = acquired + rng.uniform(); // the first purchase, at a time within the acquisition day
    let repeat = false;
    for (;;) {
      if (n === capacity) {
        capacity *= 2;
        customer = resized(customer, capacity);
        day = resized(day, capacity);
        amount = resized(amount, capacity);
      }
      customer[n] = i;
      day[n] = Math.floor(t);
      amount[n] = Math.max(0.01, Math.round(rng.gamma(p, spendScale) * 100) / 100);
      n++;
      // BG/NBD: dropout can follow a repeat purchase only, never the first one.
      if (repeat && rng.uniform() < dropout) break;
      t += rng.exponential(lambda);
      if (!(t < days)) break; // also ends at t = Infinity when λ underflows
      repeat = true;
    }
  }
  return { length: n, customer, day, amount };
}

/** Catalogue: beer, diapers, then grocery names, then `product-NN` numbered by catalogue position. */
function makeCatalogue(products: number): string[] {
  const names: string[] = ['beer', 'diapers'];
  const width = Math.max(2, String(products).length);
  for (let j = 2; j < products; j++) {
    names.push(j - 2 < GROCERIES.length ? GROCERIES[j - 2] : `product-${String(j + 1).padStart(width, '0')}`);
  }
  return names;
}

interface Baskets {
  items: Int32Array;
  transaction: Int32Array;
  item: Int32Array;
}

/** Basket contents in transaction order; see `truth.basket`. Rows are (transaction id, catalogue index). */
function fillBaskets(rng: RandomSource, date: Int32Array, amount: Float64Array, products: number): Baskets {
  const n = date.length;
  const pool = products - 2; // the products other than beer and diapers
  const cumulative = new Float64Array(pool); // Zipf weights 1/rank^s, running sum
  let total = 0;
  for (let j = 0; j < pool; j++) {
    total += 1 / Math.pow(j + 1, BASKET.zipfExponent);
    cumulative[j] = total;
  }
  const seen = new Uint8Array(products);
  const basket = new Int32Array(products);
  const items = new Int32Array(n);
  let capacity = Math.max(16, n * 5);
  let transaction = new Int32Array(capacity);
  let item = new Int32Array(capacity);
  let rows = 0;

  for (let k = 0; k < n; k++) {
    let size = 0;
    const hasDiapers = rng.uniform() < BASKET.diapers;
    const weekday = (((date[k] + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday, 6 = Saturday
    const pBeer = !hasDiapers
      ? BASKET.beerBase
      : weekday === 0 || weekday === 6
        ? BASKET.beerGivenDiapersWeekend
        : BASKET.beerGivenDiapersWeekday;
    if (rng.uniform() < pBeer) basket[size++] = BEER;
    if (hasDiapers) basket[size++] = DIAPERS;
    const others = Math.min(pool, 1 + rng.poisson(amount[k] / BASKET.moneyPerExtraItem));
    if (others === pool) {
      for (let j = 0; j < pool; j++) basket[size++] = j + 2;
    } else {
      // Draw without replacement by rejecting repeats; `others` < pool, so each draw has a new product left.
      for (let drawn = 0; drawn < others;) {
        const target = rng.uniform() * total;
        let lo = 0;
        let hi = pool - 1;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (cumulative[mid] > target) hi = mid;
          else lo = mid + 1;
        }
        const product = lo + 2;
        if (seen[product] === 1) continue;
        seen[product] = 1;
        basket[size++] = product;
        drawn++;
      }
      // Insertion sort of the few drawn products, so each basket lists products in catalogue order.
      for (let x = 1; x < size; x++) {
        const v = basket[x];
        let y = x - 1;
        while (y >= 0 && basket[y] > v) {
          basket[y + 1] = basket[y];
          y--;
        }
        basket[y + 1] = v;
      }
      for (let x = 0; x < size; x++) seen[basket[x]] = 0;
    }
    items[k] = size;
    if (rows + size > capacity) {
      capacity = Math.max(capacity * 2, rows + size);
      transaction = resized(transaction, capacity);
      item = resized(item, capacity);
    }
    for (let x = 0; x < size; x++) {
      transaction[rows] = k + 1;
      item[rows++] = basket[x];
    }
  }
  return { items, transaction: transaction.slice(0, rows), item: item.slice(0, rows) };
}

/**
 * Residual variances ψ that give every latent variable variance 1: with η_j = Σ β_jk η_k + ζ_j in causal
 * order, Var(η_j) = β_j' Σ β_j + ψ_j, and Cov(η_j, η_m) = Σ_k β_jk Cov(η_k, η_m) for earlier m.
 */
function acsiLatentModel(): { residualVariance: Float64Array; residualVarianceByName: Record<AcsiLatent, number> } {
  const L = LATENTS.length;
  const cov = new Float64Array(L * L);
  const psi = new Float64Array(L);
  for (let j = 0; j < L; j++) {
    const beta = pathRow(j);
    for (let m = 0; m < j; m++) {
      let c = 0;
      for (let k = 0; k < j; k++) c += beta[k] * cov[k * L + m];
      cov[j * L + m] = c;
      cov[m * L + j] = c;
    }
    let explained = 0;
    for (let k = 0; k < j; k++) for (let l = 0; l < j; l++) explained += beta[k] * beta[l] * cov[k * L + l];
    psi[j] = 1 - explained;
    cov[j * L + j] = 1;
  }
  const byName = Object.fromEntries(LATENTS.map((name, j) => [name, psi[j]])) as Record<AcsiLatent, number>;
  return { residualVariance: psi, residualVarianceByName: byName };
}

/** The generating ACSI model of the sample survey (everything in `SampleStoreTruth.acsi` but the survey share). */
export function acsiTruth(): Omit<SampleStoreTruth['acsi'], 'surveyShare'> {
  return {
    paths: ACSI_PATHS.map((path) => ({ ...path })),
    residualVariance: acsiLatentModel().residualVarianceByName,
    measures: Object.fromEntries(INDICATORS.map(([name, lv]) => [name, lv])) as Record<AcsiIndicator, AcsiLatent>,
    blocks: Object.fromEntries(
      LATENTS.map((lv) => [lv, INDICATORS.filter(([, of]) => of === lv).map(([name]) => name)]),
    ) as Record<AcsiLatent, AcsiIndicator[]>,
    loadings: Object.fromEntries(INDICATORS.map(([name, , l]) => [name, l])) as Record<AcsiIndicator, number>,
    means: Object.fromEntries(INDICATORS.map(([name, , , m]) => [name, m])) as Record<AcsiIndicator, number>,
    scale: SURVEY_SCALE,
  };
}

/** The indicator columns of the sample survey, in column order. */
export const SURVEY_INDICATORS: readonly AcsiIndicator[] = INDICATORS.map(([name]) => name);

/** β_j: the coefficients of the paths into latent j, indexed by LATENTS position. */
function pathRow(j: number): Float64Array {
  const beta = new Float64Array(LATENTS.length);
  for (const path of ACSI_PATHS) {
    if (path.to === LATENTS[j]) beta[LATENTS.indexOf(path.from)] = path.coefficient;
  }
  return beta;
}

/** One Int32Array per indicator, in INDICATORS order, for `respondents` draws of the latent model. */
export function answerSurvey(rng: RandomSource, respondents: number): Int32Array[] {
  const psi = acsiLatentModel().residualVariance;
  const L = LATENTS.length;
  const betas = LATENTS.map((_, j) => pathRow(j));
  const sdZeta = psi.map(Math.sqrt);
  const latentIndex = INDICATORS.map(([, lv]) => LATENTS.indexOf(lv));
  const columns = INDICATORS.map(() => new Int32Array(respondents));
  const eta = new Float64Array(L);
  for (let s = 0; s < respondents; s++) {
    for (let j = 0; j < L; j++) {
      let value = sdZeta[j] * rng.normal();
      const beta = betas[j];
      for (let k = 0; k < j; k++) value += beta[k] * eta[k];
      eta[j] = value;
    }
    for (let x = 0; x < INDICATORS.length; x++) {
      const loading = INDICATORS[x][2];
      const raw =
        INDICATORS[x][3] +
        SURVEY_SCALE * (loading * eta[latentIndex[x]] + Math.sqrt(1 - loading * loading) * rng.normal());
      columns[x][s] = Math.round(Math.min(10, Math.max(1, raw)));
    }
  }
  return columns;
}

/** 'C' plus the 1-based customer number, zero-padded to at least six digits, as ASCII bytes of fixed width. */
function customerIds(customers: number): { width: number; bytes: Uint8Array } {
  const digits = Math.max(6, String(customers).length);
  const width = digits + 1;
  const bytes = new Uint8Array(customers * width);
  for (let i = 0; i < customers; i++) {
    const base = i * width;
    bytes[base] = 67; // 'C'
    let v = i + 1;
    for (let d = width - 1; d >= 1; d--) {
      bytes[base + d] = 48 + (v % 10);
      v = Math.floor(v / 10);
    }
  }
  return { width, bytes };
}

/** A Utf8 vector of the ids of `rows` (customer indices), built straight into Arrow's offset and data buffers. */
function utf8Column(ids: { width: number; bytes: Uint8Array }, rows: Int32Array) {
  const { width, bytes } = ids;
  const n = rows.length;
  const valueOffsets = new Int32Array(n + 1);
  const data = new Uint8Array(n * width);
  for (let k = 0; k < n; k++) {
    valueOffsets[k + 1] = (k + 1) * width;
    const from = rows[k] * width;
    const to = k * width;
    for (let c = 0; c < width; c++) data[to + c] = bytes[from + c];
  }
  return makeVector(makeData({ type: new Utf8(), length: n, valueOffsets, data }));
}
