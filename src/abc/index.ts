/**
 * ABC (Pareto) analysis: customers or products ranked by value into A/B/C classes, Pareto curves, the Gini
 * coefficient and the value × loyalty matrix.
 * Exported by the package through src/api/abc.ts, which adds the wired stream and thread forms.
 */

export type { AbcOptions, AbcColumns } from './abc';
export { abcSummary } from './abc-summary';
export type { AbcSummaryColumns } from './abc-summary';
export { paretoCurve, topShare } from './pareto-curve';
export type { ParetoCurveOptions, ParetoCurveColumns } from './pareto-curve';
export { gini } from './gini';
export { valueLoyaltyMatrix, QUADRANTS } from './value-loyalty-matrix';
export type { ValueLoyaltyOptions, ValueLoyaltyColumns } from './value-loyalty-matrix';
