import { nullRecord } from '../table/internal';
import type { PlsStructure } from './pls-estimate';

/**
 * Dijkstra–Henseler's reliability ρ_A of every block, from the correlation matrix R of the indicator slots (p × p)
 * and the outer weights w scaled so that every score has variance 1 (on the indicators as the fit sees them: the
 * standardised ones, or the centred ones with `sd` their standard deviations).
 *
 * With ŵ the block's weights on its standardised indicators (ŵ_k = w_k · sd_k, so ŵ' R_jj ŵ = 1):
 *   ρ_A = (ŵ'ŵ)² · ŵ'(R_jj − diag R_jj)ŵ / ŵ'(ŵŵ' − diag(ŵŵ'))ŵ = (ŵ'ŵ)² · (1 − ŵ'ŵ) / ((ŵ'ŵ)² − Σ ŵ_k⁴)
 * (Dijkstra & Henseler 2015, MIS Quarterly 39(2), eq. 7 with S standardised; the second form uses ŵ' R_jj ŵ = 1).
 * The first form is computed, so that the figure stays right for weights that are not exactly normalised.
 * ρ_A = 1 for a mode B (composite) block and for a single-indicator block, as seminr reports.
 *
 * Cost: O(Σ_j q_j²) for blocks of q_j indicators.
 */
export function blockRhoA(
  correlation: Float64Array,
  s: PlsStructure,
  weights: Float64Array,
  sd: Float64Array | undefined,
): Float64Array {
  const { m, p, blockStart, modeB } = s;
  const rho = new Float64Array(m).fill(1);
  for (let j = 0; j < m; j++) {
    const from = blockStart[j];
    const to = blockStart[j + 1];
    if (modeB[j] || to - from < 2) continue;
    let ww = 0;
    let w4 = 0;
    let offDiagonal = 0;
    for (let k = from; k < to; k++) {
      const wk = weights[k] * (sd ? sd[k] : 1);
      ww += wk * wk;
      w4 += wk * wk * wk * wk;
      for (let l = from; l < to; l++) {
        if (l === k) continue;
        offDiagonal += wk * correlation[k * p + l] * weights[l] * (sd ? sd[l] : 1);
      }
    }
    rho[j] = (ww * ww * offDiagonal) / (ww * ww - w4);
  }
  return rho;
}

/** What consistent PLS changes in a fit. */
export interface ConsistentEstimates {
  /** ρ_A by latent variable. */
  readonly rhoA: Float64Array;
  /** 1 where the block was corrected (mode A with two or more indicators). */
  readonly corrected: Uint8Array;
  /** Disattenuated construct correlations, m × m. */
  readonly correlation: Float64Array;
  /** Consistent loadings of the corrected blocks' slots; the composite loadings elsewhere. */
  readonly loadings: Float64Array;
  /** Whether the disattenuated correlation matrix is positive definite (a Cholesky factorisation succeeds). */
  readonly positiveDefinite: boolean;
}

/**
 * Consistent partial least squares (PLSc; Dijkstra & Henseler 2015, MIS Quarterly 39(2), 297–316): the
 * correction of a PLS fit of reflective (common-factor) blocks, whose composite scores are attenuated by the
 * indicators' measurement error.
 *
 * For every mode A block with two or more indicators, ρ_A ({@link blockRhoA}) estimates the squared correlation
 * between the composite and its common factor. Then
 * - construct correlations are disattenuated: r*_ij = r_ij / √(ρ_A,i · ρ_A,j) (eq. 10), r*_ii = 1;
 * - consistent loadings: λ̂_j = √ρ_A,j · ŵ_j / (ŵ_j'ŵ_j) (eq. 9), with ŵ_j the block's weights on the
 *   standardised indicators;
 * - paths and R² are the least-squares solution on r* (the caller regresses; as seminr's `PLSc`).
 * Mode B blocks and single indicators keep ρ_A = 1, so their correlations and loadings are unchanged.
 *
 * Cost: O(p²) for ρ_A plus O(m³) for the positive-definiteness check.
 *
 * @param correlation the indicator slots' correlation matrix (p × p)
 * @param sd the slots' standard deviations when `weights` are on the centred (not standardised) indicators
 * @param scoreCorrelation the composite scores' correlation matrix (m × m)
 * @param loadings the composite loadings of the slots
 */
export function consistentEstimates(
  correlation: Float64Array,
  s: PlsStructure,
  weights: Float64Array,
  sd: Float64Array | undefined,
  scoreCorrelation: Float64Array,
  loadings: Float64Array,
): ConsistentEstimates {
  const { m, blockStart, modeB } = s;
  const rhoA = blockRhoA(correlation, s, weights, sd);
  const corrected = new Uint8Array(m);
  for (let j = 0; j < m; j++) corrected[j] = !modeB[j] && blockStart[j + 1] - blockStart[j] > 1 ? 1 : 0;
  const disattenuated = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      disattenuated[i * m + j] = i === j ? 1 : scoreCorrelation[i * m + j] / Math.sqrt(rhoA[i] * rhoA[j]);
    }
  }
  const consistent = Float64Array.from(loadings);
  for (let j = 0; j < m; j++) {
    if (!corrected[j]) continue;
    let ww = 0;
    for (let k = blockStart[j]; k < blockStart[j + 1]; k++) {
      const wk = weights[k] * (sd ? sd[k] : 1);
      ww += wk * wk;
    }
    const factor = Math.sqrt(rhoA[j]) / ww;
    for (let k = blockStart[j]; k < blockStart[j + 1]; k++) consistent[k] = factor * weights[k] * (sd ? sd[k] : 1);
  }
  return {
    rhoA,
    corrected,
    correlation: disattenuated,
    loadings: consistent,
    positiveDefinite: isPositiveDefinite(disattenuated, m),
  };
}

/** Whether the symmetric matrix a (n × n) is positive definite: its Cholesky factorisation meets no pivot ≤ 0 (or NaN). */
function isPositiveDefinite(a: Float64Array, n: number): boolean {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j];
      for (let k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(sum > 0)) return false;
        l[i * n + i] = Math.sqrt(sum);
      } else l[i * n + j] = sum / l[j * n + j];
    }
  }
  return true;
}

/** What `consistent: true` adds to a fit. */
export interface PlsConsistent {
  /** The blocks corrected: mode A with two or more indicators (the others keep ρ_A = 1). */
  readonly corrected: readonly string[];
  /** Disattenuated construct correlations r_ij / √(ρ_A,i ρ_A,j), `correlations[lv][lv]`. */
  readonly correlations: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /**
   * A ρ_A outside (0, 1], or a disattenuated correlation matrix that is not positive definite: the correction is
   * then unreliable (as seminr warns).
   */
  readonly warnings: readonly string[];
}

/** The frozen {@link PlsConsistent} of a fit, with its warnings. */
export function consistentReport(latent: readonly string[], c: ConsistentEstimates, fn: string): PlsConsistent {
  const m = latent.length;
  const warnings: string[] = [];
  for (let j = 0; j < m; j++) {
    const rho = c.rhoA[j];
    if (c.corrected[j] && !(rho > 0 && rho <= 1)) {
      warnings.push(
        `${fn}: block "${latent[j]}" has rho_A = ${rho}, outside (0, 1] (a Heywood case: its indicators are nearly collinear or its weights change sign), so its consistent loadings and paths are unreliable; check the block's questions or fit it as a composite`,
      );
    }
  }
  if (!c.positiveDefinite) {
    warnings.push(
      `${fn}: the disattenuated construct correlation matrix is not positive definite, so the consistent paths and R² are unreliable (an R² may exceed 1); check blocks with a low rho_A or fit without consistent`,
    );
  }
  const correlations: Record<string, Readonly<Record<string, number>>> = nullRecord();
  for (let i = 0; i < m; i++) {
    const row: Record<string, number> = nullRecord();
    for (let j = 0; j < m; j++) row[latent[j]] = c.correlation[i * m + j];
    correlations[latent[i]] = Object.freeze(row);
  }
  return Object.freeze({
    corrected: Object.freeze(latent.filter((_, j) => c.corrected[j] === 1)),
    correlations: Object.freeze(correlations),
    warnings: Object.freeze(warnings),
  });
}
