import { defineConfig } from 'tsup';

/**
 * One entry per public folder (rfm, abc, segment and basket through their api/ face, which wires streams and threads), so that `clientele/rfm` etc. resolve to their own bundles; `cli` is the `clientele`
 * binary and `parallel/worker` the worker-thread entry, which the pool finds beside the bundles.
 */
const entries: Record<string, string> = {
  index: 'src/index.ts',
  'table/index': 'src/table/index.ts',
  'rfm/index': 'src/api/rfm.ts',
  'abc/index': 'src/api/abc.ts',
  'clv/index': 'src/clv/index.ts',
  'sample/index': 'src/sample/index.ts',
  'satisfaction/index': 'src/satisfaction/index.ts',
  'charts/index': 'src/charts/index.ts',
  'segment/index': 'src/api/segment.ts',
  'basket/index': 'src/api/basket.ts',
  'io/index': 'src/io/index.ts',
  'report/index': 'src/report/index.ts',
  'sql/index': 'src/sql/index.ts',
  'stream/index': 'src/stream/index.ts',
  'parallel/index': 'src/parallel/index.ts',
  'parallel/worker': 'src/parallel/worker.ts',
  cli: 'src/cli/main.ts',
};

export default defineConfig({
  entry: entries,
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  target: 'es2022',
});
