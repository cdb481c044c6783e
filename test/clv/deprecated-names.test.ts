import { describe, expect, it } from 'vitest';
import * as clv from '../../src/clv/index';
import type {
  BetaGeoBetaBinomialModel,
  BetaGeoBetaBinomialOptions,
  BetaGeoBetaBinomialParams,
  BetaGeoBetaBinomialParamsHolder,
  BgBbLike,
  BgBbModel,
  BgBbOptions,
  BgBbParams,
  BgBbPredictions,
  BgBbPredictOptions,
  BgbbPredictionOptions,
  BgbbPredictions,
  GammaGammaLike,
  GammaGammaParamsHolder,
  SbgLike,
  SbgModel,
  SbgOptions,
  SbgParams,
  ShiftedBetaGeometricModel,
  ShiftedBetaGeometricOptions,
  ShiftedBetaGeometricParams,
  ShiftedBetaGeometricParamsHolder,
} from '../../src/clv/index';
import * as api from '../../src/index';

/** The names before the one naming scheme (CHANGELOG, Unreleased → Changed): each is the new value itself. */
const RENAMED = {
  fitBetaGeoBetaBinomial: 'fitBgBb',
  bgbbPredictions: 'predictBgBb',
  bgbbProbabilityAlive: 'bgBbProbabilityAlive',
  bgbbExpectedTransactions: 'bgBbConditionalExpectedPurchases',
  bgbbProbabilityOfTransactions: 'bgBbProbabilityOfPurchases',
  fitShiftedBetaGeometric: 'fitSbg',
  gammaGammaConditionalMeans: 'predictGammaGamma',
} as const;

/** Compiles only when the two types are mutually assignable. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const typesAgree: [
  Same<BetaGeoBetaBinomialOptions, BgBbOptions>,
  Same<BetaGeoBetaBinomialParams, BgBbParams>,
  Same<BetaGeoBetaBinomialParamsHolder, BgBbLike>,
  Same<BetaGeoBetaBinomialModel, BgBbModel>,
  Same<BgbbPredictionOptions, BgBbPredictOptions>,
  Same<BgbbPredictions, BgBbPredictions>,
  Same<ShiftedBetaGeometricParams, SbgParams>,
  Same<ShiftedBetaGeometricParamsHolder, SbgLike>,
  Same<ShiftedBetaGeometricModel, SbgModel>,
  Same<ShiftedBetaGeometricOptions, SbgOptions>,
  Same<GammaGammaParamsHolder, GammaGammaLike>,
] = [true, true, true, true, true, true, true, true, true, true, true];

describe('deprecated CLV names', () => {
  it.each(Object.entries(RENAMED))('%s is %s, from clientele/clv and from clientele', (old, current) => {
    const exported = clv as unknown as Record<string, unknown>;
    expect(typeof exported[current]).toBe('function');
    expect(exported[old]).toBe(exported[current]);
    expect((api as unknown as Record<string, unknown>)[old]).toBe(exported[current]);
  });

  it('the old type names are the new types', () => {
    expect(typesAgree.every(Boolean)).toBe(true);
  });

  it('an old name gives the same result as the new one', () => {
    const uniform = { params: { alpha: 1, beta: 1, gamma: 1, delta: 1 } };
    const expected = clv.bgBbConditionalExpectedPurchases(uniform, 2, 0, 0, 0);
    expect(clv.bgbbExpectedTransactions(uniform, 2, 0, 0, 0)).toBe(expected);
    expect(clv.fitShiftedBetaGeometric([1000, 869, 743, 653]).params).toEqual(clv.fitSbg([1000, 869, 743, 653]).params);
  });
});
