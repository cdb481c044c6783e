/**
 * The public names the probabilistic CLV models had before they were brought under one naming scheme (fitX, predictX,
 * xProbabilityAlive, xExpectedPurchases / xConditionalExpectedPurchases, xProbabilityOfPurchases, XParams, XModel,
 * XLike, XOptions, with X one of BgNbd, ParetoNbd, BgBb, Sbg, GammaGamma). Each old name is the new value or type
 * itself, so existing code keeps working; CHANGELOG.md lists old → new.
 */
import {
  bgBbConditionalExpectedPurchases,
  bgBbProbabilityAlive,
  bgBbProbabilityOfPurchases,
  fitBgBb,
  predictBgBb,
} from './beta-geo-beta-binomial';
import type {
  BgBbLike,
  BgBbModel,
  BgBbOptions,
  BgBbParams,
  BgBbPredictions,
  BgBbPredictOptions,
} from './beta-geo-beta-binomial';
import { predictGammaGamma } from './gamma-gamma';
import type { GammaGammaLike } from './gamma-gamma';
import { fitSbg } from './shifted-beta-geometric';
import type { SbgLike, SbgModel, SbgOptions, SbgParams } from './shifted-beta-geometric';

// BG/BB

/** @deprecated use fitBgBb */
export const fitBetaGeoBetaBinomial = fitBgBb;
/** @deprecated use bgBbProbabilityAlive */
export const bgbbProbabilityAlive = bgBbProbabilityAlive;
/** @deprecated use bgBbConditionalExpectedPurchases */
export const bgbbExpectedTransactions = bgBbConditionalExpectedPurchases;
/** @deprecated use bgBbProbabilityOfPurchases */
export const bgbbProbabilityOfTransactions = bgBbProbabilityOfPurchases;
/** @deprecated use predictBgBb */
export const bgbbPredictions = predictBgBb;
/** @deprecated use BgBbOptions */
export type BetaGeoBetaBinomialOptions = BgBbOptions;
/** @deprecated use BgBbParams */
export type BetaGeoBetaBinomialParams = BgBbParams;
/** @deprecated use BgBbLike */
export type BetaGeoBetaBinomialParamsHolder = BgBbLike;
/** @deprecated use BgBbModel */
export type BetaGeoBetaBinomialModel = BgBbModel;
/** @deprecated use BgBbPredictOptions */
export type BgbbPredictionOptions = BgBbPredictOptions;
/** @deprecated use BgBbPredictions */
export type BgbbPredictions = BgBbPredictions;

// shifted-beta-geometric

/** @deprecated use fitSbg */
export const fitShiftedBetaGeometric = fitSbg;
/** @deprecated use SbgParams */
export type ShiftedBetaGeometricParams = SbgParams;
/** @deprecated use SbgLike */
export type ShiftedBetaGeometricParamsHolder = SbgLike;
/** @deprecated use SbgModel */
export type ShiftedBetaGeometricModel = SbgModel;
/** @deprecated use SbgOptions */
export type ShiftedBetaGeometricOptions = SbgOptions;

// Gamma-Gamma

/** @deprecated use predictGammaGamma */
export const gammaGammaConditionalMeans = predictGammaGamma;
/** @deprecated use GammaGammaLike */
export type GammaGammaParamsHolder = GammaGammaLike;
