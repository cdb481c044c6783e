/**
 * Satisfaction and loyalty: PLS path models (ACSI, ECSI), importance-performance, AHP weights, loyalty indices and
 * loyalty types.
 *
 * @module clientele/satisfaction
 */
export { pathModel, acsiModel, ecsiModel } from './path-model';
export type { AcsiBlocks, BlockMode, EcsiBlocks, PathModel, PathModelSpec } from './path-model';
export { surveyModel } from './survey-model';
export type { BlockSource, SurveyModel, SurveyModelName, SurveyModelOptions, SurveyModelSpec } from './survey-model';
export { plsPathModel } from './pls-path-model';
export type {
  BootstrapEstimate,
  InnerCoefficient,
  InnerRegression,
  LatentSummary,
  OuterEstimate,
  PathEffect,
  PlsBootstrap,
  PlsFit,
  PlsMomentFit,
  PlsOptions,
} from './pls-path-model';
export type { InnerScheme } from './pls-estimate';
export type { MissingTreatment, PlsMissingReport } from './pls-missing';
export type { IndicatorQuantification, MeasurementLevel, PlsNonMetric, PlsScaling } from './pls-nonmetric';
export type { PlsConsistent } from './plsc';
export { plsValidity } from './pls-validity';
export type { HtmtPair, PlsValidity, PlsValidityOptions } from './pls-validity';
export type { BlockReliability } from './block-reliability';
export { importancePerformance, IPMA_QUADRANTS } from './importance-performance';
export type { ImportancePerformanceOptions, ImportancePerformanceColumns } from './importance-performance';
export { ahpWeights } from './ahp';
export type { AhpMethod, AhpOptions, AhpResult } from './ahp';
export { loyaltyIndex } from './loyalty-index';
export type {
  LoyaltyGroup,
  LoyaltyHierarchy,
  LoyaltyIndexOptions,
  LoyaltyIndexReport,
  LoyaltyIndicator,
} from './loyalty-index';
export { loyaltyType, loyaltyTypeSummary } from './loyalty-type';
export type {
  LoyaltyTypeName,
  LoyaltyTypeOptions,
  LoyaltyTypeThresholds,
  LoyaltyTypeSummaryColumns,
} from './loyalty-type';
export { satisfactionLoyalty } from './satisfaction-loyalty';
export type {
  SatisfactionLoyaltyCategory,
  SatisfactionLoyaltyCurve,
  SatisfactionLoyaltyOptions,
  SatisfactionLoyaltyResult,
} from './satisfaction-loyalty';
export { plsPredict } from './pls-predict';
export type { PlsPredictConstruct, PlsPredictIndicator, PlsPredictOptions, PlsPredictResult } from './pls-predict';
export type { PredictTechnique } from './pls-fold-fit';
export { plsBlindfolding } from './pls-blindfolding';
export type { BlindfoldingConstruct, PlsBlindfoldingOptions, PlsBlindfoldingResult } from './pls-blindfolding';
export { plsMultigroup } from './pls-multigroup';
export type {
  GroupDifference,
  MultigroupMethod,
  OuterDifference,
  PathDifference,
  PlsMultigroupOptions,
  PlsMultigroupResult,
} from './pls-multigroup';
export { plsHigherOrder } from './higher-order';
export type { HigherOrderSpec, PlsHigherOrderFit, PlsHigherOrderOptions } from './higher-order';
export { micom } from './micom';
export type { MicomComposite, MicomInvariance, MicomOptions, MicomResult } from './micom';
