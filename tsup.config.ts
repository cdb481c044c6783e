import { defineConfig } from 'tsup';

/** One entry per public folder, so that `clientele/rfm` etc. resolve to their own bundles. */
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'table/index': 'src/table/index.ts',
    'rfm/index': 'src/rfm/index.ts',
    'abc/index': 'src/abc/index.ts',
    'clv/index': 'src/clv/index.ts',
    'sample/index': 'src/sample/index.ts',
    'satisfaction/index': 'src/satisfaction/index.ts',
    'charts/index': 'src/charts/index.ts',
    'segment/index': 'src/segment/index.ts',
    'basket/index': 'src/basket/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  target: 'es2022',
});
