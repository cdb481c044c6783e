export { kmeans, predictSegments } from './kmeans';
export type { KMeansOptions, Segmentation } from './kmeans';
export type { FeatureScaling, Standardize } from './feature-matrix';
export { chooseK } from './choose-k';
export type { ChooseKOptions, ChooseKResult } from './choose-k';
export { profileSegments } from './profile-segments';
export type { ProfileSegmentsOptions } from './profile-segments';
export { miniBatchKmeans } from './mini-batch-kmeans';
export type { BatchSource, MiniBatchKMeansOptions, MiniBatchModel } from './mini-batch-kmeans';
