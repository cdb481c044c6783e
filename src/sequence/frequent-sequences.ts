import type { Float64, Int32, List, Table, Utf8 } from 'apache-arrow';
import {
  ClienteleError,
  describeValue,
  knownOptions,
  numberVector,
  optionNames,
  stringVector,
  tableWithMetadata,
} from '../table/internal';
import { patternText, patternVector } from './sequence-vector';
import type { CodedPatterns } from './sequence-vector';
import { isSequences, sequencesFromLists } from './sequences';
import type { SequenceLists, Sequences } from './sequences';
import { spade } from './spade';
import type { MinedSequences, SpadeConstraints } from './spade';

/** Options of {@link frequentSequences}. */
export interface FrequentSequencesOptions {
  /** Smallest support, a share of sequences (customers) in (0, 1]: a pattern is frequent when count ≥ ⌈minSupport · sequences⌉. */
  minSupport?: number;
  /** Smallest count instead (overrides minSupport). */
  minCount?: number;
  /** Most elements (events) in a pattern, ≥ 1. Default 10, as arulesSequences' `maxlen`. */
  maxLength?: number;
  /** Most items in one element, ≥ 1. Default 10, as arulesSequences' `maxsize`. */
  maxSize?: number;
  /** Smallest time between consecutive elements, > 0 (in the sequences' time unit: days for dates). Default: any later event (arulesSequences' `mingap`). */
  minGap?: number;
  /** Largest time between consecutive elements, ≥ 0. Default none (arulesSequences' `maxgap`). */
  maxGap?: number;
  /** Largest time from a pattern's first element to its last, ≥ 0. Default none (cSPADE's `maxwin`, which arulesSequences disables). */
  maxWindow?: number;
  /**
   * Most frequent patterns the search may find before it stops with `LIMIT_EXCEEDED` (checked as they are found).
   * Default 1,000,000; `Infinity` lifts the limit.
   */
  maxSequences?: number;
}

/** The columns of `frequentSequences`: one row per pattern. */
export type FrequentSequencesColumns = {
  sequence: List<List<Utf8>>;
  text: Utf8;
  count: Int32;
  support: Float64;
  length: Int32;
  size: Int32;
};

const FREQUENT_SEQUENCES_OPTION_NAMES = optionNames<FrequentSequencesOptions>({
  minSupport: true,
  minCount: true,
  maxLength: true,
  maxSize: true,
  minGap: true,
  maxGap: true,
  maxWindow: true,
  maxSequences: true,
});

/** The default of `maxSequences`. */
const MAX_SEQUENCES = 1_000_000;

/**
 * Frequent sequential patterns: the ordered sets of purchases that many customers make — `<{a},{b,c}>` is "a, then
 * later b and c together" — mined by cSPADE (Zaki 2001) as R arulesSequences' `cspade`. What an analyst uses it for:
 * what customers buy next, the steps of a typical purchase journey, and the input of {@link sequenceRules}.
 *
 * A sequence contains a pattern when the pattern's elements are subsets of its events in the same order, strictly
 * later each time, with minGap ≤ Δt ≤ maxGap between consecutive elements and Δt ≤ maxWindow from the first
 * to the last. Support = (sequences containing the pattern) / (sequences), each customer counted once however often
 * the pattern recurs; a pattern is frequent when its count ≥ ⌈minSupport · sequences⌉ (cSPADE's rounding).
 * `length` is the number of elements, `size` the number of items (arulesSequences' `size(x)` and `size(x, "items")`).
 *
 * Rows are ordered by length, size, count descending, then item names; every pattern appears once. The schema
 * metadata holds `clientele.kind` = `frequentSequences`, `clientele.sequences` (the denominator), `clientele.minCount`
 * and the constraints; `clientele.warnings` says when nothing was frequent.
 *
 * Cost: one pass to build the id-lists, then one temporal join per candidate (SPADE, Zaki 2001, section 4): about
 * linear in the input per level of the search; gap and window constraints make a join quadratic in the events of
 * one customer.
 *
 * Reference: M. J. Zaki (2001), "SPADE: an efficient algorithm for mining frequent sequences", Machine Learning 42,
 * 31–60; constraints: Zaki (2000), "Sequence mining in categorical domains: incorporating constraints", CIKM.
 *
 * @param input sequences from {@link customerSequences} or {@link sequencesFromLists}, or lists as the latter takes
 * @param options minSupport or minCount (one is required); maxLength (10); maxSize (10); minGap (any later event);
 *   maxGap (none); maxWindow (none); maxSequences (1,000,000)
 * @throws {ClienteleError} `INVALID_INPUT` for input that is not sequences; `INVALID_OPTION`; `LIMIT_EXCEEDED` past
 *   maxSequences
 * @example
 * // Zaki (2001), figure 1: four customers; the table of arulesSequences' `zaki` data
 * const s = sequencesFromLists([
 *   [['C', 'D'], ['A', 'B', 'C'], ['A', 'B', 'F'], ['A', 'C', 'D', 'F']],
 *   [['A', 'B', 'F'], ['E']],
 *   [['A', 'B', 'F']],
 *   [['D', 'G', 'H'], ['B', 'F'], ['A', 'G', 'H']],
 * ]);
 * const patterns = frequentSequences(s, { minSupport: 0.5 });
 * patterns.numRows; // 18
 * patterns.getChild('text')?.get(17); // '<{D},{B,F},{A}>'
 * patterns.getChild('support')?.get(17); // 0.5
 */
export function frequentSequences(
  input: Sequences | SequenceLists,
  options: FrequentSequencesOptions,
): Table<FrequentSequencesColumns> {
  options = knownOptions(options, FREQUENT_SEQUENCES_OPTION_NAMES, 'frequentSequences');
  const fn = 'frequentSequences';
  const s = isSequences(input) ? input : Array.isArray(input) ? sequencesFromLists(input) : null;
  if (!s) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: expected sequences (from customerSequences() or sequencesFromLists()) or an array of sequences of item lists (found ${describeValue(input)})`,
    );
  }
  const constraints = resolveConstraints(options, s.count, fn);
  const mined = spade(s, constraints);
  return patternTable(mined, s, constraints) as Table<FrequentSequencesColumns>;
}

function resolveConstraints(options: FrequentSequencesOptions, n: number, fn: string): SpadeConstraints {
  const whole = (name: keyof FrequentSequencesOptions, fallback: number, infinite = false): number => {
    const v = options[name] ?? fallback;
    if (!((infinite && v === Infinity) || (Number.isInteger(v) && v >= 1))) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option ${name} must be an integer ≥ 1${infinite ? ' or Infinity' : ''} (found ${describeValue(v)}); leave it out for ${fallback}`,
      );
    }
    return v;
  };
  const time = (name: 'minGap' | 'maxGap' | 'maxWindow', fallback: number, positive: boolean): number => {
    const v = options[name];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (positive && v === 0)) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option ${name} must be a finite number ${positive ? '> 0' : '≥ 0'} in the sequences' time unit (found ${describeValue(v)}); e.g. 30 (days, for dates)`,
      );
    }
    return v;
  };
  let minCount: number;
  if (options.minCount !== undefined) {
    if (!Number.isInteger(options.minCount) || options.minCount < 1) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option minCount must be an integer ≥ 1 (found ${describeValue(options.minCount)})`,
      );
    }
    minCount = options.minCount;
  } else {
    const m = options.minSupport;
    if (typeof m !== 'number' || !(m > 0 && m <= 1)) {
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option minSupport must be a share of sequences in (0, 1] (found ${describeValue(m)}); e.g. 0.05, or pass minCount`,
      );
    }
    // ⌈m · n⌉ as cSPADE, guarded against 0.07 · 100 = 7.000000000000001
    minCount = Math.max(1, Math.ceil(m * n - 1e-9 * Math.max(1, m * n)));
  }
  const minGap = time('minGap', 0, true);
  const maxGap = time('maxGap', Infinity, false);
  if (minGap > maxGap) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option minGap must not exceed maxGap (found minGap ${minGap}, maxGap ${maxGap}); widen the range`,
    );
  }
  return {
    minCount,
    maxLength: whole('maxLength', 10),
    maxSize: whole('maxSize', 10),
    minGap,
    maxGap,
    maxWindow: time('maxWindow', Infinity, false),
    maxSequences: whole('maxSequences', MAX_SEQUENCES, true),
  };
}

/** The Arrow table of mined patterns in canonical order (length, size, count descending, item names). */
function patternTable(mined: MinedSequences, s: Sequences, c: SpadeConstraints): Table {
  const { patternOffsets: po, elementOffsets: eo, codes, counts } = mined;
  const n = counts.length;
  const length = new Int32Array(n);
  const size = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    length[p] = po[p + 1] - po[p];
    size[p] = eo[po[p + 1]] - eo[po[p]];
  }
  // codes are name ranks (Sequences.names is sorted), so comparing codes compares names
  const compare = (x: number, y: number): number => {
    if (length[x] !== length[y]) return length[x] - length[y];
    if (size[x] !== size[y]) return size[x] - size[y];
    if (counts[x] !== counts[y]) return counts[y] - counts[x];
    for (let k = 0; k < length[x]; k++) {
      const a = po[x] + k;
      const b = po[y] + k;
      const la = eo[a + 1] - eo[a];
      const lb = eo[b + 1] - eo[b];
      for (let t = 0; t < Math.min(la, lb); t++) {
        const d = codes[eo[a] + t] - codes[eo[b] + t];
        if (d !== 0) return d;
      }
      if (la !== lb) return la - lb;
    }
    return 0;
  };
  const order = Int32Array.from({ length: n }, (_, p) => p).sort(compare);
  const patternOffsets = new Int32Array(n + 1);
  const elementOffsets = new Int32Array(eo.length);
  const outCodes = new Int32Array(codes.length);
  const count = new Int32Array(n);
  const support = new Float64Array(n);
  let elements = 0;
  let used = 0;
  for (let i = 0; i < n; i++) {
    const p = order[i];
    for (let k = po[p]; k < po[p + 1]; k++) {
      for (let t = eo[k]; t < eo[k + 1]; t++) outCodes[used++] = codes[t];
      elementOffsets[++elements] = used;
    }
    patternOffsets[i + 1] = elements;
    count[i] = counts[p];
    support[i] = counts[p] / s.count;
  }
  const coded: CodedPatterns = { patternOffsets, elementOffsets, codes: outCodes, names: s.names };
  const text = Array.from({ length: n }, (_, i) => patternText(coded, i));
  return tableWithMetadata(
    {
      sequence: patternVector(coded),
      text: stringVector(text),
      count: numberVector(count),
      support: numberVector(support),
      length: numberVector(Int32Array.from(order, (p) => length[p])),
      size: numberVector(Int32Array.from(order, (p) => size[p])),
    },
    {
      'clientele.kind': 'frequentSequences',
      'clientele.sequences': String(s.count),
      'clientele.minCount': String(c.minCount),
      'clientele.maxLength': String(c.maxLength),
      'clientele.maxSize': String(c.maxSize),
      'clientele.minGap': String(c.minGap),
      'clientele.maxGap': String(c.maxGap),
      'clientele.maxWindow': String(c.maxWindow),
      'clientele.timeUnit': s.timeUnit,
      ...(n === 0
        ? {
            'clientele.warnings': JSON.stringify([
              `no pattern occurs in ${c.minCount} of the ${s.count} sequences; lower minSupport (or minCount)`,
            ]),
          }
        : {}),
    },
  );
}
