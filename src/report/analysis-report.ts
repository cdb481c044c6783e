import { Table } from 'apache-arrow';
import { retentionCurve } from '../clv/internal';
import type { SurveyModelName, SurveyModelSpec } from '../satisfaction/internal';
import {
  asTable,
  ClienteleError,
  describeValue,
  isClienteleError,
  knownOptions,
  numberVector,
  optionNames,
  optionValue,
} from '../table/internal';
import type { TableInput } from '../table/internal';
import {
  chooseKSection,
  clvSection,
  customerAbcSection,
  itemAbcSection,
  overviewSection,
  retentionSection,
  rfmSections,
  rulesSection,
  satisfactionSections,
  segmentFeatures,
  segmentSection,
  whole,
} from './analysis-sections';
import { checkOrderLogOptions, hasRepeatedTransactions, orderLog, RETURNS, rowAmounts } from '../kernels/internal';
import type { LogColumns } from './log-columns';
import { renderReport } from './render-report';
import { loadVegaScripts } from './vega-scripts';
import type { RenderReportOptions, ReportSection } from './render-report';

/** Options of {@link analysisReport}. */
export interface AnalysisReportOptions {
  /** Page title. Default 'Customer analytics report'. */
  title?: string;
  /** Column names of the transaction log; defaults `customer`, `date`, `amount`, `transaction`, `item`. */
  customer?: string;
  date?: string;
  amount?: string;
  /**
   * The transaction (basket, invoice) id. When ids repeat (always, when the option is given), rows are line items,
   * folded into orders first as `customerSummary` does (`transaction` option): one order per id.
   */
  transaction?: string;
  /** Columns whose product is the amount of a line (instead of `amount`), as in `customerSummary`. Default none. */
  quantity?: string;
  price?: string;
  /** Orders with a negative amount (returns): `'exclude'` (default, counted) or `'keep'`, as in `customerSummary`. */
  returns?: 'keep' | 'exclude';
  /** The product of a line; with `transaction` it gives the basket rules and the ABC analysis of products. */
  item?: string;
  /** The day RFM recency and the CLV calibration are measured at. Default: the day after the last transaction. */
  asOf?: Date;
  /**
   * Basket lines in a separate table (`transaction`, `item`, optionally `amount`), as `sampleStore().basketItems`,
   * for logs that carry no item column.
   */
  basketItems?: TableInput;
  /**
   * A satisfaction survey: one row per respondent; adds the satisfaction index and its drivers. When the survey
   * cannot be fitted (a construct without columns, a constant question, too few respondents …) those sections are
   * replaced by a note saying why (also in `notes`), and the rest of the report is written.
   */
  survey?: TableInput;
  /** The path model of the survey: `'acsi'` (default), `'ecsi'` or a model of your own, as `surveyModel`'s `model`. */
  surveyModel?: SurveyModelName | SurveyModelSpec;
  /**
   * The survey's questions per construct, replacing those found by name (exp…/expe…/CUEX…, qual…/PERQ…, val…/PERV…,
   * sat…/CUSA…, comp…/CUSCO, loy…/CUSL…, imag…), as `surveyModel`'s `blocks`.
   */
  surveyBlocks?: Readonly<Record<string, readonly string[]>>;
  /** The answer scale of the survey. Default: the smallest and largest answer found. */
  surveyScale?: readonly [number, number];
  /** Number of k-means segments, or 'auto' to choose it (2 … 8, highest mean silhouette). Default 'auto'. */
  k?: number | 'auto';
  /** Seed of k-means and of the tree that explains the segments. Default 1. */
  seed?: number;
  /** Smallest share of baskets a rule's itemset must reach. Default 0.01. */
  minSupport?: number;
  /** Smallest confidence of a rule. Default 0.3. */
  minConfidence?: number;
  /** Profit margin applied to spend in the CLV section, a fraction. Default 1 (revenue). */
  margin?: number;
  /** Called as each step starts (`done` steps finished of `total`) and once more with `'done'` at the end. */
  onProgress?: (step: string, done: number, total: number) => void;
  /** Passed on to {@link renderReport}: the vega builds' text for runtimes without a file system. */
  scripts?: RenderReportOptions['scripts'];
}

/** What {@link analysisReport} returns. */
export interface AnalysisReport {
  /** The self-contained HTML page. */
  readonly html: string;
  /** The sections it shows, in order, to render differently or to test. */
  readonly sections: ReportSection[];
  /** What the report left out or changed, one sentence each (e.g. a survey that could not be fitted). */
  readonly notes: readonly string[];
}

/** Lets a progress bar redraw between synchronous steps. */
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function checkOptions(o: AnalysisReportOptions, fn: string): void {
  const fraction = (name: 'minSupport' | 'minConfidence' | 'margin', v: unknown, upper: number) => {
    if (v !== undefined && !(typeof v === 'number' && v > 0 && v <= upper)) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option ${name} must be a number in (0, ${upper}] (found ${describeValue(v)}); e.g. ${name}: ${name === 'margin' ? 0.3 : name === 'minSupport' ? 0.01 : 0.3}`,
      );
    }
  };
  fraction('minSupport', o.minSupport, 1);
  fraction('minConfidence', o.minConfidence, 1);
  fraction('margin', o.margin, 1);
  if (
    o.k !== undefined &&
    o.k !== 'auto' &&
    !(typeof o.k === 'number' && Number.isInteger(o.k) && o.k >= 1 && o.k <= 50)
  ) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option k must be 'auto' or a whole number from 1 to 50 (found ${describeValue(o.k)}); e.g. k: 4`,
    );
  }
  if (o.seed !== undefined && !(typeof o.seed === 'number' && Number.isFinite(o.seed))) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option seed must be a finite number (found ${describeValue(o.seed)}); e.g. seed: 1`,
    );
  }
  if (o.asOf !== undefined && !(o.asOf instanceof Date && Number.isFinite(o.asOf.getTime()))) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option asOf must be a valid Date (found ${describeValue(o.asOf)}); e.g. asOf: new Date('2024-12-31')`,
    );
  }
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option onProgress must be a function (step, done, total) => void (found ${describeValue(o.onProgress)})`,
    );
  }
}

/** The options analysisReport takes; every other name is refused with a did-you-mean. */
const ANALYSIS_REPORT_OPTION_NAMES = optionNames<AnalysisReportOptions>({
  title: true,
  customer: true,
  date: true,
  amount: true,
  transaction: true,
  quantity: true,
  price: true,
  returns: true,
  item: true,
  asOf: true,
  basketItems: true,
  survey: true,
  surveyModel: true,
  surveyBlocks: true,
  surveyScale: true,
  k: true,
  seed: true,
  minSupport: true,
  minConfidence: true,
  margin: true,
  onProgress: true,
  scripts: true,
});

/**
 * The whole customer analysis of a transaction log as one self-contained HTML report: overview and monthly trend,
 * RFM segments and score grid, ABC/Pareto of customers (and of products when the log has items), cohort retention,
 * CLV from BG/NBD + Gamma-Gamma, k-means segments on RFM features (k chosen by silhouette when `k: 'auto'`)
 * described in words, the products bought together (when there are baskets), and — with a `survey` — the ACSI
 * (or ECSI, or your own) satisfaction index and its importance–performance map; a survey that cannot be fitted
 * becomes a note in the report and in `notes`, not a failure. Each section has a short text with its key figures, a
 * table and a chart.
 *
 * It is what `clientele report <file>` and `npm run demo` write: a first look at a store's customers to share with
 * people who do not run code.
 *
 * Conventions: each analysis runs with its documented defaults (quintile RFM scores with the standard segment grid;
 * ABC cut-offs 80 % / 95 %; monthly cohorts; CLV over 52 weeks discounted 1 % a month; k-means on recency, log
 * frequency and log spend, z-scored; rules by lift). A log whose transaction ids repeat is a line-item log: its
 * lines are folded into orders (customer and date of the first line, amount the sum of the lines: `orderLog`, the one
 * implementation the library and the CLI use) before the customer analyses, and give the baskets. An analysis the data cannot support (no repeat buyers for CLV, fewer customers than segments, no
 * basket rule) becomes a section that says why instead of failing the report. Bad rows are dropped and counted as
 * each analysis does, and the overview says how many; rows with a negative amount (returns, cancellations) are left
 * out of the customer analyses by default (`returns: 'exclude'`, the default of `customerSummary`) and counted there
 * too.
 *
 * Cost: the analyses' own (linear in rows, except `chooseK`'s silhouettes on a 2,000-row sample) plus about 0.8 MB
 * of inlined chart libraries; 20,000 customers take a few seconds.
 *
 * @param transactions the transaction log: anything `asTable` accepts
 * @param options column names, asOf, basketItems, survey (and surveyModel ('acsi'), surveyBlocks, surveyScale), k ('auto'), seed (1),
 *   minSupport (0.01), minConfidence (0.3), margin (1), onProgress, title
 * @throws {ClienteleError} `MISSING_COLUMN`, `INVALID_TYPE`, `EMPTY_INPUT` for an unusable log;
 *   `INVALID_OPTION` (also for a malformed surveyModel or a surveyBlocks construct the model lacks, and, before any
 *   analysis, when vega, vega-lite and vega-embed, optional peer dependencies, are not installed and no `scripts`
 *   are given)
 * @example
 * const store = sampleStore({ customers: 300, seed: 3 });
 * const { html, sections } = await analysisReport(store.transactions, { basketItems: store.basketItems, survey: store.survey, k: 3 });
 * sections.map((s) => s.title).includes('RFM segments'); // true
 * html.includes('class="chart"'); // true
 */
export async function analysisReport(
  transactions: TableInput,
  options: AnalysisReportOptions = {},
): Promise<AnalysisReport> {
  options = knownOptions(options, ANALYSIS_REPORT_OPTION_NAMES, 'analysisReport');
  const fn = 'analysisReport';
  checkOptions(options, fn);
  const input = readLog(transactions, options, fn);
  // the page's chart scripts are read before the analyses run, so that a missing optional peer (vega …) fails early
  const scripts = options.scripts ?? (await loadVegaScripts(fn));
  const k = options.k ?? 'auto';
  const steps = [
    'Customer summary',
    'RFM segments',
    'ABC analysis',
    ...(input.lines ? ['ABC of products'] : []),
    'Cohort retention',
    'Customer lifetime value',
    ...(k === 'auto' ? ['Choosing k'] : []),
    'k-means segments',
    ...(input.hasBaskets ? ['Basket rules'] : []),
    ...(options.survey !== undefined ? ['Satisfaction index'] : []),
    'Writing HTML',
  ];
  const progress = new Progress(options.onProgress, steps.length);
  const sections: ReportSection[] = [];
  const { overview, scored } = await customerAnalyses(input, options, progress, sections, fn);
  const notes: string[] = [];
  await modelAnalyses(input, options, scored, progress, sections, notes, fn);

  await progress.step('Writing HTML');
  const subtitle = `${whole(overview.customers)} customers · ${whole(overview.transactions)} transactions · ${overview.first} to ${overview.last}`;
  const html = await renderReport(sections, {
    title: options.title ?? 'Customer analytics report',
    subtitle,
    scripts,
  });
  progress.finish();
  options.onProgress?.('done', progress.done, steps.length);
  return { html, sections, notes };
}

/** The log read for the report: its columns, the transactions (lines summed when ids repeat) and the basket lines. */
interface ReportInput {
  cols: LogColumns;
  tx: Table;
  lines: Table | undefined;
  linesAmount: string | undefined;
  hasBaskets: boolean;
}

/** Counts the finished steps and tells `onProgress` as each step starts. */
class Progress {
  done = 0;

  constructor(
    private readonly onProgress: AnalysisReportOptions['onProgress'],
    private readonly total: number,
  ) {}

  /** Reports the step `name` as started, then lets a progress bar redraw. */
  async step(name: string): Promise<void> {
    this.onProgress?.(name, this.done, this.total);
    await tick();
  }

  /** Counts a step as finished. */
  finish(): void {
    this.done++;
  }
}

/**
 * Read: the log's columns, its orders (line items folded by `orderLog` when `transaction` is given or the
 * transaction column repeats ids; amounts as quantity × price when asked) and the basket lines.
 */
function readLog(transactions: TableInput, options: AnalysisReportOptions, fn: string): ReportInput {
  checkOrderLogOptions(options, fn);
  const computed = options.quantity !== undefined;
  const cols: LogColumns = {
    customer: options.customer ?? 'customer',
    date: options.date ?? 'date',
    amount: options.amount ?? 'amount',
    transaction: options.transaction ?? 'transaction',
    item: options.item ?? 'item',
    returns: optionValue(options, 'returns', RETURNS, fn),
  };
  const log = asTable(transactions);
  if (log.numRows === 0)
    throw new ClienteleError('EMPTY_INPUT', `${fn}: the transaction table has no rows; pass at least one transaction`);
  for (const name of ['transaction', 'item'] as const) {
    if (options[name] !== undefined && !log.getChild(cols[name]) && !(options.basketItems !== undefined)) {
      throw new ClienteleError(
        'MISSING_COLUMN',
        `${fn}: column "${cols[name]}" (option ${name}) is not in the table (found columns: ${log.schema.fields.map((f) => f.name).join(', ')}); leave the option out or name the ${name} column`,
        { column: cols[name] },
      );
    }
  }
  const hasTransaction = log.getChild(cols.transaction) !== null;
  const lineLevel =
    hasTransaction && (options.transaction !== undefined || hasRepeatedTransactions(log, cols.transaction, fn));
  const logCols = { ...cols, quantity: options.quantity, price: options.price };
  const tx = orderLog(log, { ...logCols, transaction: lineLevel ? cols.transaction : undefined }, fn);
  let lines: Table | undefined;
  let linesAmount: string | undefined;
  if (options.basketItems !== undefined) {
    lines = asTable(options.basketItems);
    linesAmount = lines.getChild(cols.amount) ? cols.amount : undefined;
  } else if (log.getChild(cols.item)) {
    // the products' ABC needs each line's amount: quantity × price when the amount is computed
    lines = computed ? log.assign(new Table({ [cols.amount]: numberVector(rowAmounts(log, logCols, fn)) })) : log;
    linesAmount = cols.amount;
  }
  const hasBaskets =
    lines !== undefined && lines.getChild(cols.transaction) !== null && lines.getChild(cols.item) !== null;
  return { cols, tx, lines, linesAmount, hasBaskets };
}

/** Compute: overview, RFM, ABC, retention and CLV sections onto `sections`; returns the overview and RFM scores. */
async function customerAnalyses(
  { cols, tx, lines, linesAmount }: ReportInput,
  options: AnalysisReportOptions,
  progress: Progress,
  sections: ReportSection[],
  fn: string,
): Promise<{ overview: ReturnType<typeof overviewSection>; scored: Table }> {
  const asOf = options.asOf;
  await progress.step('Customer summary');
  let curve: Table | undefined;
  try {
    curve = retentionCurve(tx, { customer: cols.customer, date: cols.date });
  } catch (e) {
    if (!isClienteleError(e)) throw e;
  }
  const overview = overviewSection(tx, cols, asOf, curve, fn);
  sections.push(overview.section);
  progress.finish();

  await progress.step('RFM segments');
  const { sections: rfmParts, scored } = rfmSections(tx, cols, asOf);
  sections.push(...rfmParts);
  progress.finish();

  await progress.step('ABC analysis');
  sections.push(customerAbcSection(overview.summary));
  progress.finish();

  if (lines) {
    await progress.step('ABC of products');
    sections.push(itemAbcSection(lines, cols.item, linesAmount, fn));
    progress.finish();
  }

  await progress.step('Cohort retention');
  if (curve) sections.push(retentionSection(curve, fn));
  progress.finish();

  await progress.step('Customer lifetime value');
  sections.push(clvSection(tx, cols, asOf, options.margin ?? 1));
  progress.finish();
  return { overview, scored };
}

/** Compute: the choice of k, k-means segments, basket rules and satisfaction sections onto `sections`. */
async function modelAnalyses(
  { cols, lines, hasBaskets }: ReportInput,
  options: AnalysisReportOptions,
  scored: Table,
  progress: Progress,
  sections: ReportSection[],
  notes: string[],
  fn: string,
): Promise<void> {
  const seed = options.seed ?? 1;
  const k = options.k ?? 'auto';
  const features = segmentFeatures(scored);
  let chosen = typeof k === 'number' ? k : 4;
  if (k === 'auto') {
    await progress.step('Choosing k');
    const { section, choice } = chooseKSection(features, seed);
    sections.push(section);
    if (choice) chosen = choice.k;
    progress.finish();
  }
  await progress.step('k-means segments');
  sections.push(segmentSection(features, chosen, seed));
  progress.finish();

  if (hasBaskets) {
    await progress.step('Basket rules');
    sections.push(rulesSection(lines!, cols, options.minSupport ?? 0.01, options.minConfidence ?? 0.3));
    progress.finish();
  }

  if (options.survey !== undefined) {
    await progress.step('Satisfaction index');
    const satisfaction = satisfactionSections(
      options.survey,
      { model: options.surveyModel, blocks: options.surveyBlocks, scale: options.surveyScale },
      fn,
    );
    sections.push(...satisfaction.sections);
    notes.push(...satisfaction.notes);
    progress.finish();
  }
}
