/**
 * Charts of the other areas' results as Vega-Lite specifications, which also display themselves in a Jupyter notebook.
 *
 * @module clientele/charts
 */
export { displayable } from './display';
export type { ChartSpec, VegaLiteBundle } from './display';
export type { ChartOptions, VegaLiteSpec } from './spec';
export { rfmHeatmap } from './rfm-heatmap';
export type { RfmHeatmapOptions } from './rfm-heatmap';
export { rfmSegmentChart } from './rfm-segment-chart';
export type { RfmSegmentChartOptions } from './rfm-segment-chart';
export { paretoChart } from './pareto-chart';
export type { ParetoChartOptions } from './pareto-chart';
export { retentionHeatmap } from './retention-heatmap';
export type { RetentionHeatmapOptions } from './retention-heatmap';
export { clvHistogram } from './clv-histogram';
export type { ClvHistogramOptions } from './clv-histogram';
export { elbowChart } from './elbow-chart';
export { silhouetteChart } from './silhouette-chart';
export { importancePerformanceChart } from './importance-performance-chart';
export { pathDiagram } from './path-diagram';
export type { PathDiagramOptions } from './path-diagram';
export { rulesScatter } from './rules-scatter';
export type { RulesScatterOptions } from './rules-scatter';
export { frequencyRecencyMatrix } from './frequency-recency-matrix';
export type { FrequencyRecencyMatrixOptions } from './frequency-recency-matrix';
export { periodTransactionsChart } from './period-transactions-chart';
export type { PeriodTransactionsChartOptions } from './period-transactions-chart';
export { calibrationHoldoutChart } from './calibration-holdout-chart';
export type { CalibrationHoldoutChartOptions } from './calibration-holdout-chart';
export { rulesGroupedMatrix } from './rules-grouped-matrix';
export type { RulesGroupedMatrixOptions } from './rules-grouped-matrix';
export { rulesGraph } from './rules-graph';
export type { RulesGraphOptions } from './rules-graph';
export { trackingChart } from './tracking-chart';
export type { TrackingChartOptions } from './tracking-chart';
