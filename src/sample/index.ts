/**
 * Seeded synthetic data for examples and tests: a sample store (customers and their transactions) and a sample
 * satisfaction survey.
 *
 * @module clientele/sample
 */
export { sampleStore } from './sample-store';
export type {
  AcsiIndicator,
  AcsiLatent,
  AcsiPath,
  SampleBasketItemsSchema,
  SampleStore,
  SampleStoreOptions,
  SampleStoreTruth,
  SampleSurveySchema,
  SampleTransactionsSchema,
} from './sample-store';
export { sampleSurvey } from './sample-survey';
export type { SampleSurvey, SampleSurveyOnlySchema, SampleSurveyOptions } from './sample-survey';
