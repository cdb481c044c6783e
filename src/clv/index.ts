/**
 * Customer lifetime value: closed-form CLV, retention curves, lifecycle stages and the probabilistic models BG/NBD,
 * MBG/NBD, Pareto/NBD, BG/BB, shifted-beta-geometric and Gamma-Gamma.
 *
 * @module clientele/clv
 */
export { summaryFromTransactions } from './summary-from-transactions';
export type { SummaryFromTransactionsOptions, ClvSummaryColumns } from './summary-from-transactions';
export type { CalendarPeriod } from './calendar-periods';
export type { FittedModel, ModelLike } from './model';
export { lifecycleStage, LIFECYCLE_STAGES } from './lifecycle-stage';
export type { LifecycleOptions, LifecycleStageColumns } from './lifecycle-stage';
export {
  fitGammaGamma,
  gammaGammaConditionalMean,
  predictGammaGamma,
  gammaGammaPopulationMean,
  frequencyMonetaryCorrelation,
} from './gamma-gamma';
export type {
  GammaGammaOptions,
  GammaGammaParams,
  GammaGammaLike,
  GammaGammaModel,
  GammaGammaColumns,
} from './gamma-gamma';
export {
  fitSbg,
  sbgSurvival,
  sbgChurnProbability,
  sbgRetentionRate,
  sbgDiscountedExpectedResidualLifetime,
} from './shifted-beta-geometric';
export type { SbgParams, SbgModel, SbgLike, SbgOptions } from './shifted-beta-geometric';
export {
  fitBgBb,
  bgBbProbabilityAlive,
  bgBbConditionalExpectedPurchases,
  bgBbProbabilityOfPurchases,
  predictBgBb,
} from './beta-geo-beta-binomial';
export type {
  BgBbOptions,
  BgBbParams,
  BgBbLike,
  BgBbModel,
  BgBbPredictOptions,
  BgBbPredictions,
} from './beta-geo-beta-binomial';
export { clv } from './closed-form/index';
export type { SimpleClvOptions, DiscountedClvOptions, RetentionClvOptions, ClvTiming } from './closed-form/index';
export { retentionCurve, averageRetention } from './retention-curve';
export type {
  RetentionCurveOptions,
  AverageRetentionOptions,
  RetentionPeriod,
  RetentionCurveColumns,
} from './retention-curve';
export {
  fitBgNbd,
  bgNbdExpectedPurchases,
  bgNbdProbabilityOfPurchases,
  bgNbdProbabilityAlive,
  bgNbdConditionalExpectedPurchases,
  bgNbdConditionalProbabilityOfPurchases,
  predictBgNbd,
} from './bg-nbd';
export type { BgNbdParams, BgNbdModel, BgNbdLike, BgNbdOptions } from './bg-nbd';
export {
  fitMbgNbd,
  mbgNbdExpectedPurchases,
  mbgNbdProbabilityOfPurchases,
  mbgNbdProbabilityAlive,
  mbgNbdConditionalExpectedPurchases,
  mbgNbdConditionalProbabilityOfPurchases,
  predictMbgNbd,
} from './mbg-nbd';
export type { MbgNbdParams, MbgNbdModel, MbgNbdLike, MbgNbdOptions } from './mbg-nbd';
export type { HistoryColumns, RepeatFitOptions, RepeatPredictOptions, RepeatQuantity } from './customer-histories';
export type { FitOptions } from './maximise-likelihood';
export {
  fitParetoNbd,
  paretoNbdExpectedPurchases,
  paretoNbdProbabilityAlive,
  paretoNbdConditionalExpectedPurchases,
  predictParetoNbd,
} from './pareto-nbd';
export { paretoNbdProbabilityOfPurchases, paretoNbdConditionalProbabilityOfPurchases } from './pareto-nbd-pmf';
export type { ParetoNbdParams, ParetoNbdModel, ParetoNbdLike, ParetoNbdOptions } from './pareto-nbd';
export { fitBgNbdWithCovariates, predictBgNbdWithCovariates } from './covariates-bg-nbd';
export type {
  BgNbdWithCovariatesOptions,
  BgNbdWithCovariatesModel,
  BgNbdWithCovariatesLike,
} from './covariates-bg-nbd';
export { fitParetoNbdWithCovariates, predictParetoNbdWithCovariates } from './covariates-pareto-nbd';
export type {
  ParetoNbdWithCovariatesOptions,
  ParetoNbdWithCovariatesModel,
  ParetoNbdWithCovariatesLike,
} from './covariates-pareto-nbd';
export type { CovariateColumns, CovariateFitOptions, ModelCovariates } from './covariates';
export { paretoNbdDert, bgNbdDert, bgBbDert } from './discounted-expected-transactions';
export { predictDert } from './predict-dert';
export type { PredictDertOptions, DertModel } from './predict-dert';
export { predictClv } from './predict-clv';
export { predictionIntervals } from './prediction-intervals';
export type {
  PredictionIntervals,
  PredictionIntervalsOptions,
  PredictionIntervalColumns,
  IntervalOptions,
  IntervalQuantity,
  IntervalMethod,
} from './prediction-intervals';
export { simulateBgNbd } from './simulate-bg-nbd';
export { simulateParetoNbd } from './simulate-pareto-nbd';
export type { SimulateHistoriesOptions } from './simulate-repeat-buying';
export { simulateGammaGamma } from './simulate-gamma-gamma';
export type { SimulateGammaGammaOptions } from './simulate-gamma-gamma';
export type { PredictClvOptions, PurchaseModel, PredictClvColumns } from './predict-clv';
// the names before the one naming scheme of the probabilistic models, kept working as deprecated aliases
export * from './deprecated-names';
export { expectedCumulativeTransactions } from './expected-cumulative-transactions';
export type {
  ExpectedCumulativeTransactionsOptions,
  ExpectedCumulativeTransactionsColumns,
} from './expected-cumulative-transactions';
export { holdoutValidation } from './holdout-validation';
export type {
  HoldoutValidationOptions,
  HoldoutValidation,
  ModelValidation,
  HoldoutCriterion,
} from './holdout-validation';
export type { RepeatModelKind } from './repeat-models';
