/** Seeded simulators of BG/NBD and Pareto/NBD customers with a binary and a continuous covariate (test-only). */

/** mulberry32: a small seeded uniform generator on (0, 1). */
export function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return u === 0 ? 0.5 / 4294967296 : u;
  };
}

function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** Gamma(shape k, rate 1) by Marsaglia & Tsang (2000), with the U^(1/k) boost for k < 1. */
function gamma(u: () => number, k: number): number {
  if (k < 1) return gamma(u, k + 1) * u() ** (1 / k);
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(u);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const w = u();
    if (Math.log(w) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

export interface Simulated {
  frequency: number[];
  recency: number[];
  T: number[];
  female: number[];
  age: number[];
}

function covariates(u: () => number, n: number) {
  const female = Array.from({ length: n }, () => (u() < 0.5 ? 1 : 0));
  const age = Array.from({ length: n }, () => Math.round(normal(u) * 100) / 100);
  return { female, age };
}

/** Pareto/NBD customers: α_i = α e^(−γ_P·z), β_i = β e^(−γ_L·z), z = (female, age); T integer weeks in 26…52. */
export function simulateParetoNbd(
  seed: number,
  n: number,
  p: { r: number; alpha: number; s: number; beta: number; purchase: number[]; attrition: number[] },
): Simulated {
  const u = uniform(seed);
  const { female, age } = covariates(u, n);
  const out: Simulated = { frequency: [], recency: [], T: [], female, age };
  for (let i = 0; i < n; i++) {
    const T = 26 + Math.floor(u() * 27);
    const alphaI = p.alpha * Math.exp(-(p.purchase[0] * female[i] + p.purchase[1] * age[i]));
    const betaI = p.beta * Math.exp(-(p.attrition[0] * female[i] + p.attrition[1] * age[i]));
    const lambda = gamma(u, p.r) / alphaI;
    const mu = gamma(u, p.s) / betaI;
    const end = Math.min(T, -Math.log(u()) / mu);
    let t = 0;
    let x = 0;
    let tx = 0;
    for (;;) {
      t += -Math.log(u()) / lambda;
      if (t > end) break;
      x++;
      tx = t;
    }
    out.frequency.push(x);
    out.recency.push(tx);
    out.T.push(T);
  }
  return out;
}

/** BG/NBD customers: α_i = α e^(−γ_P·z), a_i = a e^(γ_L·z), b_i = b e^(γ_L·z); drop-out after each repeat purchase. */
export function simulateBgNbd(
  seed: number,
  n: number,
  p: { r: number; alpha: number; a: number; b: number; purchase: number[]; attrition: number[] },
): Simulated {
  const u = uniform(seed);
  const { female, age } = covariates(u, n);
  const out: Simulated = { frequency: [], recency: [], T: [], female, age };
  for (let i = 0; i < n; i++) {
    const T = 26 + Math.floor(u() * 27);
    const alphaI = p.alpha * Math.exp(-(p.purchase[0] * female[i] + p.purchase[1] * age[i]));
    const shift = Math.exp(p.attrition[0] * female[i] + p.attrition[1] * age[i]);
    const lambda = gamma(u, p.r) / alphaI;
    const ga = gamma(u, p.a * shift);
    const drop = ga / (ga + gamma(u, p.b * shift));
    let t = 0;
    let x = 0;
    let tx = 0;
    for (;;) {
      t += -Math.log(u()) / lambda;
      if (t > T) break;
      x++;
      tx = t;
      if (u() < drop) break;
    }
    out.frequency.push(x);
    out.recency.push(tx);
    out.T.push(T);
  }
  return out;
}
