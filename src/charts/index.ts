export { importancePerformanceChart } from './importance-performance-chart';
export type { VegaLiteSpec } from './importance-performance-chart';
