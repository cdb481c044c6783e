import { ClienteleError, describeValue } from '../table/internal';

/** A Vega-Lite specification (a plain JSON object; clientele's charts declare the Vega-Lite 6 schema). */
export type VegaLiteSpec = Readonly<Record<string, unknown>>;

/**
 * The MIME type under which Jupyter front ends (JupyterLab, VS Code, nbconvert) render a Vega-Lite spec. It is the
 * key the renderers register (JupyterLab's vega extension knows v3, v4 and v5), not the spec's version: their
 * vega-embed reads the spec's own `$schema` (v6).
 */
const VEGA_LITE_MIME = 'application/vnd.vegalite.v5+json';

/**
 * The key of the display hook of Deno's Jupyter kernel: when a cell's last value has a method under this symbol,
 * the kernel calls it and shows the MIME bundle it returns.
 */
const JUPYTER_DISPLAY: unique symbol = Symbol.for('Jupyter.display');

/** The MIME bundle a chart hands to a Jupyter kernel. */
export interface VegaLiteBundle {
  readonly [VEGA_LITE_MIME]: VegaLiteSpec;
}

/** A Vega-Lite spec that also displays itself as a chart in a Deno Jupyter notebook. */
export type ChartSpec = VegaLiteSpec & { readonly [JUPYTER_DISPLAY]: () => VegaLiteBundle };

/**
 * Makes a Vega-Lite spec display as a chart when it is the last value of a Deno Jupyter notebook cell: returns a
 * frozen shallow copy of `spec` that carries a non-enumerable method under `Symbol.for('Jupyter.display')` (the
 * hook of Deno's kernel), which returns the MIME bundle `{ 'application/vnd.vegalite.v5+json': spec }`.
 *
 * Use it on a spec you built or edited yourself; every chart function of clientele already returns one. The method
 * is invisible to `JSON.stringify`, `Object.keys` and spreading (`{ ...spec }` is a plain spec again), so the spec
 * still goes as is to vega-embed, Observable or a file.
 *
 * Cost: O(number of top-level keys). The input is not changed; nested objects are shared with it, not copied.
 *
 * @param spec a Vega-Lite spec (a plain object)
 * @throws {ClienteleError} `INVALID_INPUT` when `spec` is not a plain object
 * @example
 * const chart = displayable({ mark: 'bar', data: { values: [{ a: 1 }] }, encoding: { x: { field: 'a', type: 'quantitative' } } });
 * Object.keys(chart[Symbol.for('Jupyter.display')]()); // ['application/vnd.vegalite.v5+json']
 * JSON.stringify(chart).includes('Jupyter'); // false
 */
export function displayable(spec: object): ChartSpec {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new ClienteleError(
      'INVALID_INPUT',
      `displayable: spec must be a Vega-Lite spec object (found ${describeValue(spec)}); pass e.g. { mark: 'bar', data: { values: [...] }, encoding: {...} }`,
    );
  }
  const out: Record<string | symbol, unknown> = { ...(spec as Record<string, unknown>) };
  Object.defineProperty(out, JUPYTER_DISPLAY, {
    value: function display(): VegaLiteBundle {
      return { [VEGA_LITE_MIME]: out as VegaLiteSpec };
    },
    enumerable: false,
    writable: false,
    configurable: false,
  });
  return Object.freeze(out) as unknown as ChartSpec;
}
