import { ClienteleError, describeValue, isClienteleError } from './errors';

/**
 * The one option validator. An option is checked against a declarative rule — what it must be, in words, the test,
 * the default and a fix — and the error message is built from the same rule, so the check and the message cannot
 * drift apart, and an analysis, its SQL twin and the CLI that share a rule give the same answer in the same words:
 * `fn: option name must be <expected> (found <value>); <fix>`, thrown as `ClienteleError('INVALID_OPTION')`.
 *
 * A rule is plain data plus a test, so a spec is a frozen object of rules (e.g. `RFM_SCORING` in src/rfm/rfm.ts,
 * read by `rfm` and by `toSql('rfm')`). Rules for options whose validity depends on another option (rfm's fixed
 * breaks need `bins − 1` numbers) stay functions next to their analysis, called after the spec.
 */
export interface OptionRule<T> {
  /** What a valid value is, completing "option x must be …", e.g. `'an integer from 2 to 20'`. */
  readonly expected: string;
  /** Whether a given (non-undefined) value is valid. */
  readonly test: (value: unknown) => boolean;
  /** The value when the option is absent (undefined); absent and no default means the option is required. */
  readonly fallback?: T;
  /** How to fix a bad value, after the semicolon of the message, e.g. `'5 is the usual choice'`. */
  readonly fix?: string;
  /** The accepted strings of a one-of rule, in order (the CLI offers them as the choices of its flag). */
  readonly values?: readonly T[];
  /** The bounds of a numeric rule (the CLI parses its flag within them). */
  readonly min?: number;
  readonly max?: number;
}

/** A spec: one rule per option name. */
export type OptionSpec = Readonly<Record<string, OptionRule<unknown>>>;

/** The checked values of a spec. */
export type CheckedOptions<S extends OptionSpec> = {
  readonly [K in keyof S]: S[K] extends OptionRule<infer T> ? T : never;
};

/** A whole number in [min, max] (max may be Infinity). */
export function integerRule(min: number, max: number, fallback?: number, fix?: string): OptionRule<number> {
  return Object.freeze({
    expected: max === Infinity ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`,
    test: (v: unknown) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max,
    fallback,
    fix,
    min,
    max,
  });
}

/** A finite number ≥ min. */
export function numberRule(min: number, fallback?: number, fix?: string): OptionRule<number> {
  return Object.freeze({
    expected: `a number ≥ ${min}`,
    test: (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= min,
    fallback,
    fix,
  });
}

/** One of a fixed list of strings (listed in the message in the order given). */
export function oneOfRule<T extends string>(values: readonly T[], fallback?: T, fix?: string): OptionRule<T> {
  const list = values.map((v) => `'${v}'`);
  return Object.freeze({
    expected: list.length === 2 ? `${list[0]} or ${list[1]}` : `one of ${list.join(', ')}`,
    // own-key semantics: a value is accepted only when it is one of the strings, never a prototype name
    test: (v: unknown) => typeof v === 'string' && values.includes(v as T),
    fallback,
    fix,
    values,
  });
}

/** The value of one option under its rule: the default when absent. @throws {ClienteleError} `INVALID_OPTION` */
export function optionValue<T>(options: object | null | undefined, name: string, rule: OptionRule<T>, fn: string): T {
  const value =
    options != null && Object.prototype.hasOwnProperty.call(options, name)
      ? (options as Record<string, unknown>)[name]
      : undefined;
  if (value === undefined || value === null) {
    if (rule.fallback !== undefined) return rule.fallback;
    throw optionError(fn, name, rule, value);
  }
  if (!rule.test(value)) throw optionError(fn, name, rule, value);
  return value as T;
}

/** Every option of a spec, checked in the spec's order. @throws {ClienteleError} `INVALID_OPTION` */
export function checkOptions<S extends OptionSpec>(options: unknown, spec: S, fn: string): CheckedOptions<S> {
  if (options === null || typeof options !== 'object') {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: options must be an object (found ${describeValue(options)}); pass e.g. {}`,
    );
  }
  const out: Record<string, unknown> = Object.create(null);
  for (const name of Object.keys(spec)) out[name] = optionValue(options, name, spec[name], fn);
  return out as CheckedOptions<S>;
}

/** The error of a value that breaks a rule, in the house grammar. */
function optionError<T>(fn: string, name: string, rule: OptionRule<T>, value: unknown): ClienteleError {
  const fix =
    rule.fix ??
    (rule.fallback !== undefined ? `leave it out for ${describeValue(rule.fallback)}` : 'pass a valid value');
  return new ClienteleError(
    'INVALID_OPTION',
    `${fn}: option ${name} must be ${rule.expected} (found ${describeValue(value)}); ${fix}`,
  );
}

/**
 * The names of a function's options, as a frozen list: written as an object with one `true` per name so that the
 * compiler proves the list complete and exact against the options type (a name missing or extra fails `tsc`).
 *
 * @example
 * // in TypeScript: optionNames<KMeansOptions>({ … }), which fails to compile if a name is missing or extra
 * optionNames({ k: true, seed: true }); // ['k', 'seed']
 */
export function optionNames<O>(names: { readonly [K in keyof O]-?: true }): readonly string[] {
  return Object.freeze(Object.keys(names));
}

/** The names of the worker-thread options (`parallel`, `minRowsPerWorker`) a function adds to its analysis's own. */
export const PARALLEL_OPTION_NAMES = optionNames<{ parallel: number; minRowsPerWorker?: number }>({
  parallel: true,
  minRowsPerWorker: true,
});

/**
 * The one gate every public function's options pass through first. It refuses an options value that is not a plain
 * object (null, a number, an array…) and every own option name outside `names`, with the nearest known name as a
 * did-you-mean (case-insensitive, `snake_case` ≡ `camelCase`, edit distance) or, when none is near, the list of all
 * of them; a typo would otherwise fall back silently to a default. It returns a null-prototype copy holding only the
 * caller's OWN known options, so an option inherited from a prototype (`Object.create({ minSupport: 0.5 })`) is not
 * an option, and no later read can reach `Object.prototype`. `undefined` stands for no options.
 *
 * @throws {ClienteleError} `INVALID_OPTION`
 * @example
 * let message = '';
 * try {
 *   knownOptions({ minSuport: 0.1 }, ['minSupport', 'maxLength'], 'frequentItemsets');
 * } catch (e) {
 *   message = e.message;
 * }
 * message; // 'frequentItemsets: unknown option minSuport (found 0.1); did you mean minSupport?'
 * knownOptions({ minSupport: 0.1 }, ['minSupport', 'maxLength'], 'frequentItemsets').minSupport; // 0.1
 */
export function knownOptions<O extends object>(options: O | null | undefined, names: readonly string[], fn: string): O {
  const out: Record<string, unknown> = Object.create(null);
  if (options === undefined) return out as O;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: options must be an object (found ${describeValue(options)}); pass an object of ${names.join(', ')}`,
    );
  }
  let name = '';
  try {
    for (name of Object.keys(options)) {
      if (!names.includes(name)) throw unknownOption(fn, name, (options as Record<string, unknown>)[name], names);
    }
    for (name of names) {
      if (Object.prototype.hasOwnProperty.call(options, name)) out[name] = (options as Record<string, unknown>)[name];
    }
  } catch (e) {
    if (isClienteleError(e)) throw e;
    // a getter or a Proxy trap that throws: name it rather than let a raw error out
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: the options could not be read${name ? ` at ${name}` : ''} (found ${describeThrown(e)}); ` +
        `pass a plain object of values`,
    );
  }
  return out as O;
}

function describeThrown(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message.slice(0, 80)}` : describeValue(e);
}

/** The error of an option name a function does not have, with a did-you-mean. */
function unknownOption(fn: string, name: string, value: unknown, names: readonly string[]): ClienteleError {
  const near = nearestName(name, names);
  const fix =
    near !== undefined
      ? `did you mean ${near}?`
      : names.length === 0
        ? `${fn} takes no options`
        : `the options of ${fn} are ${names.join(', ')}`;
  return new ClienteleError(
    'INVALID_OPTION',
    `${fn}: unknown option ${describeName(name)} (found ${describeValue(value)}); ${fix}`,
  );
}

/** An option name as printed: bare when it reads as an identifier, quoted otherwise (spaces, control characters). */
function describeName(name: string): string {
  return /^[A-Za-z_$][\w$]{0,60}$/.test(name) ? name : describeValue(name);
}

/**
 * The known name nearest to `name`: equal up to case, `_` and `-` (`penalizer_coef` ≡ `penalizerCoef`), else within
 * an edit distance of a third of its length (at least 1, at most 3), ties to the first listed; undefined when none.
 */
function nearestName(name: string, names: readonly string[]): string | undefined {
  const fold = (s: string): string => s.toLowerCase().replace(/[_\-\s]/g, '');
  const wanted = fold(name);
  const same = names.find((n) => fold(n) === wanted);
  if (same !== undefined) return same;
  const limit = Math.min(3, Math.max(1, Math.floor(wanted.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const n of names) {
    const d = editDistance(wanted, fold(n), bestDistance);
    if (d < bestDistance) {
      best = n;
      bestDistance = d;
    }
  }
  return best;
}

/** Optimal-string-alignment distance (Levenshtein plus adjacent swaps), giving up at `cap`; names are short. */
function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap || a.length > 200 || b.length > 200) return cap;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0].push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i].push(d);
    }
  }
  return rows[a.length][b.length];
}
