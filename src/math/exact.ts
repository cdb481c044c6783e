/**
 * Exact arithmetic on doubles for the comparisons that decide a class: every finite double is an integer multiple
 * of 2⁻¹⁰⁷⁴ (the smallest subnormal), so a sum of doubles is exactly an integer number of those units, and a BigInt
 * holds it without rounding. Comparing `part / total ≥ cutoff` by cross-multiplication in these units decides a
 * share that sits exactly on a cut-off the way arithmetic on paper does (188/235 is 0.8, not 0.7999999999999999).
 */

const view = new DataView(new ArrayBuffer(8));

/**
 * `x · 2¹⁰⁷⁴` as a BigInt: the exact value of a finite double in units of 2⁻¹⁰⁷⁴. Only for finite `x` (callers
 * admit values first).
 *
 * E.g. `exactUnits(5e-324)` is 1n and `exactUnits(-1)` is −2¹⁰⁷⁴.
 */
export function exactUnits(x: number): bigint {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const exponent = (hi >>> 20) & 0x7ff;
  const mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  const units = exponent === 0 ? mantissa : (mantissa | (1n << 52n)) << BigInt(exponent - 1);
  return hi >>> 31 ? -units : units;
}

/**
 * The decimal a double was written as (its shortest round-trip form, `String(x)`) as an exact fraction
 * `numerator / denominator`: 0.8 is 8/10, not the binary 0.8000000000000000444…. A cut-off of 0.8 means the
 * decimal four fifths, and a share of exactly 4/5 has reached it. Only for finite `x`.
 *
 * E.g. `decimalFraction(0.95)` is { numerator: 95n, denominator: 100n }.
 */
function decimalFraction(x: number): { numerator: bigint; denominator: bigint } {
  const [mantissa, exponentText] = String(x).split('e');
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  const dot = mantissa.indexOf('.');
  const decimals = dot < 0 ? 0 : mantissa.length - dot - 1;
  let numerator = BigInt(mantissa.replace('.', ''));
  const denominator = 10n ** BigInt(Math.max(0, decimals - exponent));
  if (exponent > decimals) numerator *= 10n ** BigInt(exponent - decimals);
  return { numerator, denominator };
}

/**
 * Whether `part / total ≥ fraction` exactly, for `part` and `total` > 0 in the same units (e.g. those of
 * {@link exactUnits}) and a finite `fraction` read as the decimal it was written as ({@link decimalFraction}):
 * `part · denominator ≥ numerator · total`, no rounding anywhere.
 *
 * E.g. `shareAtLeast(188n, 235n, 0.8)` is true: 188/235 is exactly 0.8.
 */
export function shareAtLeast(part: bigint, total: bigint, fraction: number): boolean {
  const { numerator, denominator } = decimalFraction(fraction);
  return part * denominator >= numerator * total;
}
