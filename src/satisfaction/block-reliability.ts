import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** Unidimensionality and reliability of one block of indicators. */
export interface BlockReliability {
  readonly mode: 'A' | 'B';
  /** Number of indicators. */
  readonly indicators: number;
  /** Cronbach's alpha of the standardised indicators (0 for mode B blocks, as R `plspm` reports). */
  readonly cronbachAlpha: number;
  /** Dillon–Goldstein's rho (composite reliability) from the first principal component (0 for mode B blocks). */
  readonly dillonGoldsteinRho: number;
  /** Average variance extracted: the mean squared loading of the block's indicators on its latent variable (0 for mode B). */
  readonly ave: number;
  /**
   * Dijkstra–Henseler's ρ_A from the block's outer weights (1 for mode B and single-indicator blocks, as seminr;
   * see `blockRhoA`): the reliability consistent PLS corrects with.
   */
  readonly rhoA: number;
  /** Largest and second largest eigenvalue of the indicators' correlation matrix (second is 0 for one indicator). */
  readonly eigenvalues: readonly [number, number];
}

/**
 * Reliability measures of a block from the correlation matrix R (q × q, row-major) of its q indicators
 * (Tenenhaus et al. 2005, §2.1; Sanchez 2013, §4.3):
 * - Cronbach's alpha of the standardised indicators: α = q/(q − 1) · (Σ_{u≠v} r_uv) / (Σ_{u,v} r_uv), floored at 0
 *   (as `plspm`);
 * - Dillon–Goldstein's ρ = (Σ λ_u)² / ((Σ λ_u)² + Σ (1 − λ_u²)), with λ_u = √λ₁ · v₁u the correlations of the
 *   indicators with the block's first principal component (eigenvalue λ₁, eigenvector v₁);
 * - the first two eigenvalues of R: a block is unidimensional when λ₁ > 1 and λ₂ < 1 (Kaiser's rule);
 * - AVE = Σ loading_u² / q from the fitted loadings;
 * - ρ_A, computed by the fit from its weights and passed in.
 * A single-indicator block has α = ρ = 1 and eigenvalues (1, 0). Mode B (formative) blocks need not be
 * unidimensional, so α, ρ and AVE are reported as 0 (as R `plspm` does).
 */
export function blockReliability(
  r: Float64Array,
  q: number,
  mode: 'A' | 'B',
  loadings: ArrayLike<number>,
  rhoA: number,
): BlockReliability {
  let ssLoadings = 0;
  for (let u = 0; u < q; u++) ssLoadings += loadings[u] * loadings[u];
  const ave = mode === 'A' ? ssLoadings / q : 0;
  if (q === 1) {
    return Object.freeze({
      mode,
      indicators: 1,
      cronbachAlpha: mode === 'A' ? 1 : 0,
      dillonGoldsteinRho: mode === 'A' ? 1 : 0,
      ave,
      rhoA,
      eigenvalues: Object.freeze([1, 0] as [number, number]),
    });
  }
  let total = 0;
  for (let i = 0; i < q * q; i++) total += r[i];
  const alpha = Math.max(0, (q / (q - 1)) * ((total - q) / total));

  const matrix = new Matrix(q, q);
  for (let u = 0; u < q; u++) for (let v = 0; v < q; v++) matrix.set(u, v, r[u * q + v]);
  const decomposition = new EigenvalueDecomposition(matrix, { assumeSymmetric: true });
  const values = decomposition.realEigenvalues;
  let first = 0;
  for (let i = 1; i < q; i++) if (values[i] > values[first]) first = i;
  let second = -Infinity;
  for (let i = 0; i < q; i++) if (i !== first && values[i] > second) second = values[i];
  const vectors = decomposition.eigenvectorMatrix;
  let sumLoading = 0;
  let uniqueness = 0;
  const root = Math.sqrt(values[first]);
  for (let u = 0; u < q; u++) {
    const loading = root * vectors.get(u, first);
    sumLoading += loading;
    uniqueness += 1 - loading * loading;
  }
  const rho = (sumLoading * sumLoading) / (sumLoading * sumLoading + uniqueness);
  return Object.freeze({
    mode,
    indicators: q,
    cronbachAlpha: mode === 'A' ? alpha : 0,
    dillonGoldsteinRho: mode === 'A' ? rho : 0,
    ave,
    rhoA,
    eigenvalues: Object.freeze([values[first], second] as [number, number]),
  });
}
