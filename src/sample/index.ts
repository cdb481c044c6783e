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
