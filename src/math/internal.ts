/**
 * What math/ offers the layers above it and never the package: the cross-folder surface of its internals.
 * Other folders import math/ through this file or index.ts only (checked by dependency-cruiser).
 */
export { bfgs } from './bfgs';
export { addCompensated, checkFiniteTotal, compensatedTotal, RunningSum } from './compensated-sum';
export { scaledExpIntegralE } from './exponential-integral';
export { GL4_NODES, GL4_WEIGHTS, integrate } from './gauss-legendre';
export { hyp2f1, logHyp2f1 } from './hyp2f1';
export { hypergeometricLowerTail, hypergeometricQuantile, hypergeometricUpperTail } from './hypergeometric';
export { minimize } from './minimize';
export { normalQuantile } from './normal-quantile';
export type { MinimizeResult } from './minimize';
export { randomSource, selectionSample } from './random';
export type { RandomSource } from './random';
export { digamma, lbeta, lgamma, lgammaRatio, logAddExp, studentTwoSidedP } from './special';
export { observedCovariance, observedCovarianceFromGradient } from './standard-errors';
export { integrateUnitInterval } from './tanh-sinh';
export { exactUnits, shareAtLeast } from './exact';
