/**
 * HTML reports: the ready-made analysis report of a transaction log, or a report rendered from sections of your own.
 *
 * @module clientele/report
 */
export { renderReport } from './render-report';
export type { ReportSection, RenderReportOptions } from './render-report';
export { analysisReport } from './analysis-report';
export type { AnalysisReport, AnalysisReportOptions } from './analysis-report';
export type { VegaScripts } from './vega-scripts';
export type { CellFormat } from './html';
