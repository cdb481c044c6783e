/**
 * Customer segmentation: k-means (and mini-batch), choosing k, segment profiles and explanations, and a
 * decision-tree churn model.
 * Exported by the package through src/api/segment.ts, which adds the wired stream and thread forms.
 */
export { predictSegments } from './kmeans';
export type { KMeansOptions, KMeansParallel, ProgressCallback, Segmentation } from './kmeans';
export type { FeatureScaling, Standardize } from './feature-matrix';
export { chooseK } from './choose-k';
export type { ChooseKOptions, ChooseKResult, ChooseKScoreColumns } from './choose-k';
export { profileSegments } from './profile-segments';
export type { ProfileSegmentsOptions } from './profile-segments';
export { miniBatchKmeans } from './mini-batch-kmeans';
export type { BatchSource, MiniBatchKMeansOptions, MiniBatchModel } from './mini-batch-kmeans';
export { explainSegments } from './explain-segments';
export type {
  ExplainSegmentsOptions,
  ExplanationRule,
  SegmentExplanation,
  SegmentFit,
  SegmentLabel,
} from './explain-segments';
export type { DecisionTree, DecisionTreeLeaf, DecisionTreeNode, RuleCondition } from './decision-rules';
export { churnModel, predictChurn } from './churn-model';
export type { ChurnModel, ChurnModelOptions, ChurnRule, ConfusionMatrix } from './churn-model';
