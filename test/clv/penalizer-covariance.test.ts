/**
 * The `penalizer` option and the `covariance` every fit carries. Sources of truth:
 * - lifetimes' BetaGeoFitter objective, written out here from its published definition (lifetimes 0.11,
 *   `beta_geo_fitter.py`: time rescaled so that the longest age is 10, mean negative log-likelihood per customer
 *   plus penalizer_coef · Σ params²): at the penalised estimate its gradient, taken here by central differences on
 *   that independent formula, must vanish, and no nearby point may be lower;
 * - lifetimes' documentation of the CDNOW BG/NBD fit (standard errors r 0.0126, α 0.378, a 0.186, b 0.705), which
 *   the covariance's diagonal must give.
 */
import { describe, expect, it } from 'vitest';
import { fitBgNbd } from '../../src/clv/bg-nbd';
import { fitGammaGamma } from '../../src/clv/gamma-gamma';
import { fitParetoNbd } from '../../src/clv/pareto-nbd';
import { dataset, readLines, splitCsvLine } from '../helpers/datasets';
import { expectCode } from '../helpers/errors';
import { readCdnow } from '../helpers/clv';

const cdnowPath = dataset('cdnow_customers_summary.csv');
const cdnow = readCdnow(cdnowPath!);
const summary = { frequency: cdnow.x, recency: cdnow.t_x, T: cdnow.T };

function lgammaRef(z: number): number {
  // Lanczos (g = 7, n = 9), written independently of src/math
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (z < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - lgammaRef(1 - z);
  z -= 1;
  let x = c[0];
  for (let i = 1; i < 9; i++) x += c[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(x);
}

/** lifetimes' penalised BG/NBD objective in its own (rescaled) time, as a function of (r, α̃, a, b). */
function lifetimesObjective(penalizer: number) {
  let maxT = 0;
  for (const t of cdnow.T) maxT = Math.max(maxT, t);
  const scale = 10 / maxT;
  return (r: number, alphaScaled: number, a: number, b: number) => {
    let sum = 0;
    for (let i = 0; i < cdnow.x.length; i++) {
      const x = cdnow.x[i];
      const tx = cdnow.t_x[i] * scale;
      const T = cdnow.T[i] * scale;
      const A1 = lgammaRef(r + x) - lgammaRef(r) + r * Math.log(alphaScaled);
      const A2 = lgammaRef(a + b) + lgammaRef(b + x) - lgammaRef(b) - lgammaRef(a + b + x);
      const A3 = -(r + x) * Math.log(alphaScaled + T);
      const A4 = Math.log(a) - Math.log(b + Math.max(x, 1) - 1) - (r + x) * Math.log(tx + alphaScaled);
      const m = Math.max(A3, A4);
      sum += A1 + A2 + Math.log(Math.exp(A3 - m) + (x > 0 ? Math.exp(A4 - m) : 0)) + m;
    }
    return -sum / cdnow.x.length + penalizer * (r * r + alphaScaled * alphaScaled + a * a + b * b);
  };
}

describe('penalizer (lifetimes penalizer_coef)', () => {
  it.each([0.01, 0.1])('BG/NBD at penalizer %s is the minimum of lifetimes’ objective (gradient < 1e-6)', (c) => {
    const fit = fitBgNbd(summary, { penalizer: c });
    let maxT = 0;
    for (const t of cdnow.T) maxT = Math.max(maxT, t);
    const q = [fit.params.r, (fit.params.alpha * 10) / maxT, fit.params.a, fit.params.b];
    const f = lifetimesObjective(c);
    const value = (v: number[]) => f(v[0], v[1], v[2], v[3]);
    for (let j = 0; j < 4; j++) {
      const h = 1e-5 * q[j];
      const up = q.slice();
      const down = q.slice();
      up[j] += h;
      down[j] -= h;
      const derivative = (value(up) - value(down)) / (2 * h);
      expect(Math.abs(derivative * q[j]), `∂/∂ln p${j}`).toBeLessThan(1e-6);
      for (const step of [1e-3, -1e-3]) {
        const near = q.slice();
        near[j] *= 1 + step;
        expect(value(near)).toBeGreaterThan(value(q) - 1e-12);
      }
    }
    expect(fit.penalizer).toBe(c);
  });

  it('shrinks the estimates as the penalizer grows and leaves the unpenalised fit at 0', () => {
    let maxT = 0;
    for (const t of cdnow.T) maxT = Math.max(maxT, t);
    const size = (p: { r: number; alpha: number; a: number; b: number }) =>
      p.r ** 2 + ((p.alpha * 10) / maxT) ** 2 + p.a ** 2 + p.b ** 2;
    const plain = fitBgNbd(summary);
    const zero = fitBgNbd(summary, { penalizer: 0 });
    expect(zero.params).toEqual(plain.params);
    expect(plain.penalizer).toBe(0);
    const sizes = [0.001, 0.01, 0.1, 1].map((c) => size(fitBgNbd(summary, { penalizer: c }).params));
    expect(size(plain.params)).toBeGreaterThan(sizes[0]);
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeLessThan(sizes[i - 1]);
    // the reported log-likelihood is the unpenalised one at the penalised estimate: below the maximum
    expect(fitBgNbd(summary, { penalizer: 0.1 }).logLikelihood).toBeLessThan(plain.logLikelihood);
  });

  it('applies to every fit and refuses a negative or non-numeric value', () => {
    expect(fitParetoNbd(summary, { penalizer: 0.01 }).penalizer).toBe(0.01);
    expectCode(() => fitBgNbd(summary, { penalizer: -1 }), 'INVALID_OPTION', 'penalizer');
    expectCode(() => fitBgNbd(summary, { penalizer: '0.1' as unknown as number }), 'INVALID_OPTION', 'penalizer');
    expectCode(() => fitBgNbd(summary, { penalizer: NaN }), 'INVALID_OPTION', 'penalizer');
  });
});

describe('covariance', () => {
  it('BG/NBD on CDNOW: its diagonal gives lifetimes’ published standard errors (2 %), symmetric, positive definite', () => {
    const fit = fitBgNbd(summary);
    const published = { r: 0.012557, alpha: 0.378221, a: 0.185719, b: 0.705345 };
    const names = Object.keys(fit.params) as (keyof typeof published)[];
    expect(names).toEqual(['r', 'alpha', 'a', 'b']);
    names.forEach((name, j) => {
      expect(Math.sqrt(fit.covariance[j][j])).toBeCloseTo(fit.standardErrors[name], 12);
      expect(Math.abs(fit.standardErrors[name] / published[name] - 1), name).toBeLessThan(0.02);
      for (let k = 0; k < 4; k++) expect(fit.covariance[j][k]).toBe(fit.covariance[k][j]);
    });
    // positive definite: Cholesky succeeds
    const L = names.map(() => new Array<number>(4).fill(0));
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j <= i; j++) {
        let s = fit.covariance[i][j];
        for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
        if (i === j) {
          expect(s).toBeGreaterThan(0);
          L[i][i] = Math.sqrt(s);
        } else L[i][j] = s / L[j][j];
      }
    }
    expect(Object.isFrozen(fit.covariance) && Object.isFrozen(fit.covariance[0])).toBe(true);
  });

  it('Gamma-Gamma: k × k in the order of params', () => {
    const [header, ...lines] = readLines(cdnowPath!);
    const names = splitCsvLine(header);
    const rows = lines.map((l) => splitCsvLine(l).map(Number));
    const column = (n: string) => Float64Array.from(rows, (r) => r[names.indexOf(n)]);
    const gg = fitGammaGamma({ frequency: column('x'), monetary: column('zbar') });
    expect(gg.covariance.length).toBe(3);
    Object.keys(gg.params).forEach((name, j) =>
      expect(Math.sqrt(gg.covariance[j][j])).toBeCloseTo((gg.standardErrors as Record<string, number>)[name], 12),
    );
  });
});
