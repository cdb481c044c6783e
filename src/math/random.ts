import { ClienteleError, describeValue } from '../table/internal';

/**
 * A seeded source of random numbers. Every draw advances the source's own state and nothing else: two sources
 * made from the same seed give the same sequence, in any process, on any platform.
 */
export interface RandomSource {
  /** The next raw 32-bit output of the generator, an integer in [0, 2^32). */
  uint32(): number;
  /** A uniform draw from [0, 1) with 32-bit resolution (a multiple of 2^-32). */
  uniform(): number;
  /** A uniform integer in 0..n-1, exactly unbiased; `n` an integer in 1..2^32. */
  int(n: number): number;
  /** A standard normal draw, N(0, 1). */
  normal(): number;
  /** An exponential draw with the given rate (mean 1/rate). */
  exponential(rate: number): number;
  /** A gamma draw with shape k and scale θ (mean kθ, variance kθ²). */
  gamma(shape: number, scale: number): number;
  /** A beta draw with shapes a and b (mean a/(a+b)). */
  beta(a: number, b: number): number;
  /** A Poisson draw with mean λ ≥ 0. */
  poisson(lambda: number): number;
  /** An index i drawn with probability w_i / Σw; the weights are non-negative with a positive sum. */
  pick(weights: ArrayLike<number>): number;
}

const TWO_POW_32 = 4294967296;
const INV_TWO_POW_32 = 1 / TWO_POW_32;
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
/** Below this mean the Poisson sampler inverts the CDF; from here on it uses PTRS (valid for λ ≥ 10). */
const POISSON_INVERSION_LIMIT = 10;

/** ln(k!) for k = 0..15, exact up to rounding; larger k use the Stirling series in `logFactorial`. */
const LOG_FACTORIAL_TABLE = (() => {
  const table = new Float64Array(16);
  for (let k = 1; k < 16; k++) table[k] = table[k - 1] + Math.log(k);
  return table;
})();

/**
 * ln(k!) for a non-negative integer k: a table for k < 16, else the Stirling series of ln Γ(k + 1) to the
 * x^-5 term, whose error at x = 17 is below 1e-12 (Abramowitz & Stegun 1964, eq. 6.1.41).
 */
function logFactorial(k: number): number {
  if (k < 16) return LOG_FACTORIAL_TABLE[k];
  const x = k + 1;
  const ix2 = 1 / (x * x);
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + (1 / 12 - ix2 * (1 / 360 - ix2 / 1260)) / x;
}

/** Turns any finite number into two 32-bit words: the bits of its float64 encoding (so 1.5 and 1 differ). */
function seedWords(seed: number): [number, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, seed === 0 ? 0 : seed); // -0 and 0 are one seed
  return [view.getUint32(0), view.getUint32(4)];
}

const GOLDEN_GAMMA = 0x9e3779b9;

/** The MurmurHash3 32-bit finaliser, the output function of splitmix32. */
function fmix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) | 0;
}

function invalid(method: string, what: string, value: unknown, fix: string): ClienteleError {
  return new ClienteleError(
    'INVALID_OPTION',
    `randomSource.${method}: ${what} (found ${describeValue(value)}); ${fix}`,
  );
}

/**
 * A deterministic pseudo-random number source for simulations, bootstraps and sample data: every function in
 * clientele that draws at random takes a `seed` and makes its own source, so results are reproducible and no
 * state is shared between calls.
 *
 * Generator: sfc32, Chris Doty-Humphrey's "small fast chaotic" 128-bit generator from PractRand (2011–2014),
 * which passes PractRand and TestU01 BigCrush. Its three state words are filled with splitmix32 outputs (the
 * 32-bit variant of Steele, Lea & Flood 2014, "Fast splittable pseudorandom number generators", OOPSLA: a
 * golden-ratio step and the MurmurHash3 finaliser) of the two 32-bit words of the seed's float64 encoding, the
 * counter starts at 1, and the first 12 outputs are discarded so that nearby seeds decorrelate. Methods and their algorithms:
 *
 * - `uniform`: u = x · 2^-32 from one 32-bit output x; in [0, 1).
 * - `int(n)`: rejection of the top 2^32 mod n outputs, then x mod n; exactly uniform.
 * - `normal`: Marsaglia & Bray (1964) polar method, SIAM Review 6(3):260–264; the second value of each accepted
 *   pair is kept for the next call.
 * - `exponential(rate)`: inversion, −ln(1 − u)/rate.
 * - `gamma(k, θ)`: Marsaglia & Tsang (2000), "A simple method for generating gamma variables", ACM TOMS
 *   26(3):363–372, with the squeeze of their §4; for k < 1 the boost of their §6,
 *   Gamma(k) = Gamma(k + 1) · U^(1/k).
 * - `beta(a, b)`: X/(X + Y) with X ~ Gamma(a, 1), Y ~ Gamma(b, 1) (Devroye 1986, Non-Uniform Random Variate
 *   Generation, §IX.4.1).
 * - `poisson(λ)`: λ < 10, inversion by sequential search (Devroye 1986, §X.3.3, expected λ + 1 steps); λ ≥ 10,
 *   Hörmann's transformed rejection with squeeze PTRS (Hörmann 1993, "The transformed rejection method for
 *   generating Poisson random variables", Insurance: Mathematics and Economics 12:39–45), O(1) expected.
 * - `pick(weights)`: inversion by linear search over the running sum; O(k) for k weights.
 *
 * Cost: O(1) per draw except `pick` (O(k)) and small-λ `poisson` (O(λ)). Memory: five numbers.
 *
 * @param seed any finite number; -0 and 0 are the same seed, every other pair of numbers gives distinct states.
 * @throws ClienteleError `INVALID_OPTION` when `seed` is not a finite number, or a method gets a parameter out
 *   of its range (e.g. `gamma(0, 1)`, `int(2.5)`, `pick([0, 0])`).
 * @example
 * const rng = randomSource(42);
 * const u = rng.uniform();      // a number in [0, 1)
 * const k = rng.int(6) + 1;     // a die roll, 1..6
 * randomSource(42).uniform() === u; // true: same seed, same sequence
 */
export function randomSource(seed: number): RandomSource {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `randomSource: seed must be a finite number (found ${describeValue(seed)}); pass an integer such as 42`,
    );
  }
  const next = sfc32(seed);
  const uniform = (): number => next() * INV_TWO_POW_32;
  /** A uniform draw from the open interval (0, 1), for transforms that take a logarithm or a power. */
  const open = (): number => (next() + 0.5) * INV_TWO_POW_32;
  const normal = polarNormal(uniform);
  const standardGamma = gammaSampler(normal, open);

  return {
    uint32: next,
    uniform,
    int(n: number): number {
      if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
        throw invalid('int', 'n must be an integer in 1..2^32', n, 'pass the number of outcomes');
      }
      const limit = TWO_POW_32 - (TWO_POW_32 % n);
      let x = next();
      while (x >= limit) x = next();
      return x % n;
    },
    normal,
    exponential(rate: number): number {
      if (!(rate > 0) || rate === Infinity) {
        throw invalid('exponential', 'rate must be a positive finite number', rate, 'pass 1/mean');
      }
      return -Math.log(1 - uniform()) / rate;
    },
    gamma(shape: number, scale: number): number {
      if (!(shape > 0) || shape === Infinity || !(scale > 0) || scale === Infinity) {
        throw invalid('gamma', 'shape and scale must be positive finite numbers', [shape, scale], 'check both');
      }
      return standardGamma(shape) * scale;
    },
    beta(a: number, b: number): number {
      if (!(a > 0) || a === Infinity || !(b > 0) || b === Infinity) {
        throw invalid('beta', 'a and b must be positive finite numbers', [a, b], 'check both');
      }
      // For shapes far below 1 both gammas can underflow to 0; draw again rather than return 0/0.
      for (;;) {
        const x = standardGamma(a);
        const sum = x + standardGamma(b);
        if (sum > 0) return x / sum;
      }
    },
    poisson: poissonSampler(uniform, open),
    pick: weightedPick(uniform),
  };
}

/** The sfc32 generator seeded from `seed` (first 12 outputs discarded), as a function giving the next output. */
function sfc32(seed: number): () => number {
  // splitmix32's output function (the MurmurHash3 finaliser, a bijection on 32-bit words) applied to the seed's
  // words stepped by the golden-ratio increment: a and b are one-to-one in the seed, c mixes both.
  const [hi, lo] = seedWords(seed);
  let a = fmix32((lo + GOLDEN_GAMMA) | 0);
  let b = fmix32((hi + 2 * GOLDEN_GAMMA) | 0);
  let c = fmix32(((a ^ b) + 3 * GOLDEN_GAMMA) | 0);
  let counter = 1;

  // sfc32: t = a + b + counter; a = b ^ (b >>> 9); b = c + (c << 3); c = rotl(c, 21) + t.
  const next = (): number => {
    const t = (((a + b) | 0) + counter) | 0;
    counter = (counter + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

/** Standard normal draws by the Marsaglia–Bray polar method, the second value of each pair kept for the next call. */
function polarNormal(uniform: () => number): () => number {
  let spare = 0;
  let hasSpare = false;
  const normal = (): number => {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    let x: number;
    let y: number;
    let s: number;
    do {
      x = 2 * uniform() - 1;
      y = 2 * uniform() - 1;
      s = x * x + y * y;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    spare = y * f;
    hasSpare = true;
    return x * f;
  };
  return normal;
}

/** Gamma(shape, 1) draws for any shape > 0: Marsaglia–Tsang, with the U^(1/k) boost below 1. */
function gammaSampler(normal: () => number, open: () => number): (shape: number) => number {
  /** Marsaglia–Tsang for shape ≥ 1 and unit scale. */
  const gammaAtLeastOne = (shape: number): number => {
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = open();
      const x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2) return d * v;
      if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
    }
  };
  return (shape: number): number =>
    shape >= 1 ? gammaAtLeastOne(shape) : gammaAtLeastOne(shape + 1) * Math.pow(open(), 1 / shape);
}

/** The `poisson` method: the mean checked, then inversion below {@link POISSON_INVERSION_LIMIT}, PTRS above. */
function poissonSampler(uniform: () => number, open: () => number): (lambda: number) => number {
  return function poisson(lambda: number): number {
    if (!(lambda >= 0) || lambda === Infinity) {
      throw invalid('poisson', 'lambda must be a non-negative finite number', lambda, 'pass the mean count');
    }
    if (lambda === 0) return 0;
    return lambda < POISSON_INVERSION_LIMIT ? poissonInversion(lambda, uniform) : poissonPtrs(lambda, uniform, open);
  };
}

/** A Poisson draw by inversion with sequential search, for λ < 10. */
function poissonInversion(lambda: number, uniform: () => number): number {
  const u = uniform();
  let k = 0;
  let p = Math.exp(-lambda);
  let cdf = p;
  // The cap only guards against rounding in the running sum; P(K > 1000 | λ < 10) is below 1e-300.
  while (u > cdf && k < 1000) {
    k++;
    p *= lambda / k;
    cdf += p;
  }
  return k;
}

/** A Poisson draw by Hörmann's transformed rejection with squeeze (PTRS), for λ ≥ 10. */
function poissonPtrs(lambda: number, uniform: () => number, open: () => number): number {
  const sqrtLambda = Math.sqrt(lambda);
  const logLambda = Math.log(lambda);
  const bb = 0.931 + 2.53 * sqrtLambda;
  const aa = -0.059 + 0.02483 * bb;
  const logInvAlpha = Math.log(1.1239 + 1.1328 / (bb - 3.4));
  const vr = 0.9277 - 3.6224 / (bb - 2);
  for (;;) {
    const u = uniform() - 0.5;
    const v = open();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * aa) / us + bb) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    const lhs = Math.log(v) + logInvAlpha - Math.log(aa / (us * us) + bb);
    if (lhs <= -lambda + k * logLambda - logFactorial(k)) return k;
  }
}

/** The `pick` method: the weights checked, then inversion by linear search over the running sum. */
function weightedPick(uniform: () => number): (weights: ArrayLike<number>) => number {
  return function pick(weights: ArrayLike<number>): number {
    const k = weights.length;
    let total = 0;
    for (let i = 0; i < k; i++) {
      const w = weights[i];
      if (!(w >= 0) || w === Infinity) {
        throw invalid('pick', `weight ${i} must be a non-negative finite number`, w, 'fix that weight');
      }
      total += w;
    }
    if (!(total > 0)) {
      throw invalid('pick', 'the weights must have a positive sum', total, 'give at least one weight above 0');
    }
    const target = uniform() * total;
    let cumulative = 0;
    let last = 0;
    for (let i = 0; i < k; i++) {
      if (weights[i] === 0) continue;
      last = i;
      cumulative += weights[i];
      if (target < cumulative) return i;
    }
    return last; // rounding: target can reach the sum of the rounded partial sums
  };
}

/** m of 0 … n − 1 without replacement, in increasing order (Knuth, TAOCP vol. 2, §3.4.2, Algorithm S). O(n). */
export function selectionSample(rng: RandomSource, n: number, m: number): Int32Array {
  const out = new Int32Array(m);
  let chosen = 0;
  for (let i = 0; i < n && chosen < m; i++) {
    if ((n - i) * rng.uniform() < m - chosen) out[chosen++] = i;
  }
  return out;
}
