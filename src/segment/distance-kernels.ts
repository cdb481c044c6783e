/**
 * Distance kernels compiled for the number of features d: with d known, a point's coordinates sit in local
 * variables and the loops over features disappear, which V8 runs about twice as fast as the general loop at a million
 * points (the approach of arquero's compiled expressions). Where code generation is not allowed (a
 * Content-Security-Policy without 'unsafe-eval'), or d is large, the general loops are used; tests check that both
 * give the same results.
 */

/** The nearest centre of the point at offset `base` (ties to the lower index); its squared distance and the second smallest go to scan[0] and scan[1]. */
type NearestTwo = (data: Float64Array, base: number, centers: Float64Array, k: number, scan: Float64Array) => number;
/** ‖a_i − b_j‖² for the rows at offsets ai and bj (the general loops' helper). */
type SquaredDistance = (a: Float64Array, ai: number, b: Float64Array, bj: number) => number;

/**
 * One Hamerly assignment pass over all points (see `hamerly.ts`): bounds relative to each centre's cumulative drift
 * and fall, skip when u ≤ max(s_a, l), tighten u, else scan every centre; labels, bounds and cluster sums updated in
 * place. Returns the number of points that changed cluster.
 */
type AssignPass = (
  data: Float64Array,
  n: number,
  k: number,
  centers: Float64Array,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  half: Float64Array,
  drift: Float64Array,
  fall: Float64Array,
  sums: Float64Array,
  counts: Float64Array,
) => number;

export interface DistanceKernels {
  readonly nearestTwo: NearestTwo;
  readonly assignPass: AssignPass;
}

const cache = new Map<number, DistanceKernels>();

/** The kernels for d features (compiled when allowed and d ≤ 16). */
export function distanceKernels(d: number): DistanceKernels {
  let kernels = cache.get(d);
  if (!kernels) {
    kernels = (d <= 16 && compiledKernels(d)) || generalKernels(d);
    cache.set(d, kernels);
  }
  return kernels;
}

/** The general loops, whatever the environment allows (for tests and large d). */
export function generalKernels(d: number): DistanceKernels {
  const squared: SquaredDistance = (a, ai, b, bj) => {
    let sum = 0;
    for (let t = 0; t < d; t++) {
      const e = a[ai + t] - b[bj + t];
      sum += e * e;
    }
    return sum;
  };
  const nearestTwo: NearestTwo = (data, base, centers, k, scan) => {
    let best = 0;
    let d1 = Infinity;
    let d2 = Infinity;
    for (let j = 0; j < k; j++) {
      let dist = 0;
      for (let t = 0; t < d; t++) {
        const e = data[base + t] - centers[j * d + t];
        dist += e * e;
      }
      if (dist < d1) {
        d2 = d1;
        d1 = dist;
        best = j;
      } else if (dist < d2) d2 = dist;
    }
    scan[0] = d1;
    scan[1] = d2;
    return best;
  };
  const scan = new Float64Array(2);
  const assignPass: AssignPass = (data, n, k, centers, labels, upper, lower, half, drift, fall, sums, counts) => {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const a = labels[i];
      const shift = drift[a];
      let u = upper[i] + shift;
      const l = lower[i] - fall[a];
      // a margin of 1e-12 relative to the drift covers the rounding of the cumulative sums
      const bound = (half[a] > l ? half[a] : l) - 1e-12 * (1 + shift + fall[a]);
      if (u <= bound) continue;
      const base = i * d;
      u = Math.sqrt(squared(data, base, centers, a * d));
      if (u <= bound) {
        upper[i] = u - shift;
        continue;
      }
      const best = nearestTwo(data, base, centers, k, scan);
      upper[i] = Math.sqrt(scan[0]) - drift[best];
      lower[i] = Math.sqrt(scan[1]) + fall[best];
      if (best !== a) {
        labels[i] = best;
        changed++;
        for (let t = 0; t < d; t++) {
          sums[a * d + t] -= data[base + t];
          sums[best * d + t] += data[base + t];
        }
        counts[a]--;
        counts[best]++;
      }
    }
    return changed;
  };
  return { nearestTwo, assignPass };
}

function compiledKernels(d: number): DistanceKernels | null {
  const q = Array.from({ length: d }, (_, t) => t);
  const nearestTwo = compile<NearestTwo>(
    ['data', 'base', 'centers', 'k', 'scan'],
    [
      q.map((t) => `const x${t} = data[base + ${t}];`).join(' '),
      'let best = 0, d1 = Infinity, d2 = Infinity;',
      `for (let j = 0, c = 0; j < k; j++, c += ${d}) {`,
      `  ${q.map((t) => `const e${t} = x${t} - centers[c + ${t}];`).join(' ')}`,
      `  const dist = ${q.map((t) => `e${t} * e${t}`).join(' + ')};`,
      '  if (dist < d1) { d2 = d1; d1 = dist; best = j; } else if (dist < d2) d2 = dist;',
      '}',
      'scan[0] = d1; scan[1] = d2;',
      'return best;',
    ].join('\n'),
  );
  const assignPass = compile<AssignPass>(
    ['data', 'n', 'k', 'centers', 'labels', 'upper', 'lower', 'half', 'drift', 'fall', 'sums', 'counts'],
    [
      'let changed = 0;',
      `for (let i = 0, base = 0; i < n; i++, base += ${d}) {`,
      '  const a = labels[i];',
      '  const shift = drift[a];',
      '  let u = upper[i] + shift;',
      '  const l = lower[i] - fall[a];',
      '  const bound = (half[a] > l ? half[a] : l) - 1e-12 * (1 + shift + fall[a]);',
      '  if (u <= bound) continue;',
      `  ${q.map((t) => `const x${t} = data[base + ${t}];`).join(' ')}`,
      `  { const ca = a * ${d}; ${q.map((t) => `const e${t} = x${t} - centers[ca + ${t}];`).join(' ')} u = Math.sqrt(${q.map((t) => `e${t} * e${t}`).join(' + ')}); }`,
      '  if (u <= bound) { upper[i] = u - shift; continue; }',
      '  let best = 0, d1 = Infinity, d2 = Infinity;',
      `  for (let j = 0, c = 0; j < k; j++, c += ${d}) {`,
      `    ${q.map((t) => `const e${t} = x${t} - centers[c + ${t}];`).join(' ')}`,
      `    const dist = ${q.map((t) => `e${t} * e${t}`).join(' + ')};`,
      '    if (dist < d1) { d2 = d1; d1 = dist; best = j; } else if (dist < d2) d2 = dist;',
      '  }',
      '  upper[i] = Math.sqrt(d1) - drift[best];',
      '  lower[i] = Math.sqrt(d2) + fall[best];',
      '  if (best !== a) {',
      '    labels[i] = best; changed++;',
      `    const sa = a * ${d}, sb = best * ${d};`,
      `    ${q.map((t) => `sums[sa + ${t}] -= x${t}; sums[sb + ${t}] += x${t};`).join(' ')}`,
      '    counts[a]--; counts[best]++;',
      '  }',
      '}',
      'return changed;',
    ].join('\n'),
  );
  return nearestTwo && assignPass ? { nearestTwo, assignPass } : null;
}

/** A function from generated source, or null where code generation is refused. */
export function compile<F>(params: readonly string[], source: string): F | null {
  try {
    return new Function(...params, source) as F;
  } catch {
    return null;
  }
}

/** ‖a_i − b_j‖² for rows starting at offsets ai and bj of length d. */
export function squaredDistance(a: Float64Array, ai: number, b: Float64Array, bj: number, d: number): number {
  let sum = 0;
  for (let t = 0; t < d; t++) {
    const diff = a[ai + t] - b[bj + t];
    sum += diff * diff;
  }
  return sum;
}
