/** What the faces above the charts (the report) use besides the public charts: the one Vega-Lite schema address. */
export { VEGA_LITE_SCHEMA } from './spec';
