import { ClienteleError, describeValue } from './errors';

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
