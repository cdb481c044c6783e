import { defineConfig } from 'tsup';
import type { Plugin } from 'esbuild';

/**
 * One entry per public folder (rfm, abc, segment and basket through their api/ face, which wires streams and threads), so that `clientele/rfm` etc. resolve to their own bundles; `cli` is the `clientele`
 * binary (built apart, below) and `parallel/worker` the worker-thread entry, which the pool finds beside the bundles.
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
  'sequence/index': 'src/sequence/index.ts',
  'io/index': 'src/io/index.ts',
  'report/index': 'src/report/index.ts',
  'sql/index': 'src/sql/index.ts',
  'stream/index': 'src/stream/index.ts',
  'parallel/index': 'src/parallel/index.ts',
  'parallel/worker': 'src/parallel/worker.ts',
};

/** The library entries a browser can use: all but the worker-thread entry. */
const browserEntries = Object.fromEntries(Object.entries(entries).filter(([name]) => name !== 'parallel/worker'));

/**
 * For the browser build: every `node:` module (src imports them only lazily, `await import('node:fs')` inside the
 * functions that need them) becomes a module that throws when loaded, so the `import()` rejects and the caller
 * raises its ClienteleError naming what to use instead (bytes rather than a path, in-process rather than threads).
 * The build then holds no import of a Node built-in, and a bundler targeting browsers needs no `--external` flag.
 */
const nodeOnly: Plugin = {
  name: 'clientele-node-only',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'clientele-node-only' }));
    build.onLoad({ filter: /.*/, namespace: 'clientele-node-only' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not available in clientele's build for browsers`)});`,
      loader: 'js',
    }));
  },
};

export default defineConfig([
  {
    entry: entries,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    // dist/browser/ and dist/cli.js are the other builds' (which may finish first)
    clean: ['!browser/**', '!cli.js', '!cli.js.map'],
    splitting: true,
    treeshake: true,
    target: 'es2022',
  },
  {
    // the `clientele` binary: one file with its dependencies inlined (but parquet-wasm, which loads its .wasm from
    // beside its own module), so that a command starts in half the CPU time: resolving and loading apache-arrow's
    // two hundred ES modules was 0.3 s of every run's 0.5 s. Nothing of it reaches the user's code, so its copy of
    // Arrow is its own; the worker threads it starts are dist/parallel/worker.js, found beside it.
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    platform: 'node',
    dts: false,
    sourcemap: true,
    clean: false,
    splitting: false,
    treeshake: true,
    target: 'es2022',
    noExternal: [/^(?!parquet-wasm)/],
    // the CommonJS dependencies inlined (commander, …) require() Node built-ins: an ES module has no require of its own
    banner: {
      js: "import { createRequire as __clienteleRequire } from 'node:module'; const require = __clienteleRequire(import.meta.url);",
    },
  },
  {
    // the "browser" condition of package.json's exports: no Node built-ins, types shared with the above; CJS too,
    // for tools that pick "browser" and then require (Jest's jsdom environment)
    entry: browserEntries,
    outDir: 'dist/browser',
    format: ['esm', 'cjs'],
    platform: 'browser',
    dts: false,
    sourcemap: false,
    clean: true,
    splitting: true,
    treeshake: true,
    target: 'es2022',
    removeNodeProtocol: false,
    esbuildPlugins: [nodeOnly],
  },
]);
