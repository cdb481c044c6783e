/**
 * The layers of ARCHITECTURE.md, checked on every CI run (`npm run check:deps`).
 *
 *   faces     io/ charts/ api/ report/ cli/     what users touch; api/ wires `parallel: n` and streams
 *   engines   stream/ parallel/ sql/            run an analysis another way
 *   analyses  rfm/ abc/ clv/ satisfaction/ segment/ basket/ sample/ sequence/
 *   kernels   kernels/                          shared hot cores and the mergeable-aggregate protocol
 *   math      math/
 *   table     table/
 *
 * A folder imports only from the layers below it (engines: parallel/ may also use stream/; faces: in the order
 * io, charts → api → report → cli), never from another analysis, and enters another folder only through its
 * `index.ts` (the public face) or its `internal.ts` (what it offers the layers above, never the package).
 */
const ANALYSES = '(rfm|abc|clv|satisfaction|segment|basket|sample|sequence)';
const ENGINES = '(stream|parallel|sql)';
const FACES = '(io|charts|report|api|cli)';

/** A rule that forbids the folders `from` to import the folders `to`. */
const forbid = (name, comment, from, to) => ({
  name,
  comment,
  severity: 'error',
  from: { path: `^src/${from}/` },
  to: { path: `^src/${to}/` },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A module must not reach itself through its imports.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    forbid('table-is-the-floor', 'table/ imports no other folder.', 'table', '(?!table/)[^/]+'),
    forbid('math-on-table-only', 'math/ imports only table/.', 'math', `(kernels|${ANALYSES}|${ENGINES}|${FACES})`),
    forbid(
      'kernels-below-analyses',
      'kernels/ imports only table/ and math/.',
      'kernels',
      `(${ANALYSES}|${ENGINES}|${FACES})`,
    ),
    forbid(
      'analyses-below-engines',
      'An analysis is a function of a table: it never imports an engine or a face.',
      ANALYSES,
      `(${ENGINES}|${FACES})`,
    ),
    {
      name: 'analyses-independent',
      comment: 'An analysis does not import another analysis: what two share belongs in kernels/.',
      severity: 'error',
      from: { path: `^src/${ANALYSES}/` },
      to: { path: `^src/${ANALYSES}/`, pathNot: '^src/$1/' },
    },
    forbid('engines-below-faces', 'An engine never imports a face.', ENGINES, FACES),
    forbid(
      'sql-alone',
      'sql/ runs analyses in a database; it needs neither threads nor streams.',
      'sql',
      '(stream|parallel)',
    ),
    forbid(
      'stream-below-parallel',
      'stream/ is below parallel/: threads may use streams, not the reverse.',
      'stream',
      '(parallel|sql)',
    ),
    forbid(
      'io-charts-low-faces',
      'io/ and charts/ are the lowest faces: no analysis wiring, no report (io/ may start threads: readTable parallel).',
      '(io|charts)',
      '(report|api|cli|stream|sql)',
    ),
    forbid('charts-no-threads', 'charts/ starts no thread.', 'charts', 'parallel'),
    forbid(
      'api-below-report',
      'api/ (the public functions) is below report/ and cli/, which use it.',
      'api',
      '(report|cli)',
    ),
    forbid('report-below-cli', 'report/ is below cli/.', 'report', 'cli'),
    {
      name: 'enter-through-index',
      comment: "Another folder is entered only through its index.ts or internal.ts (a folder's own files are free).",
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/[^/]+/', pathNot: ['^src/$1/', '^src/[^/]+/(index|internal)\\.ts$', '^src/api/[^/]+\\.ts$'] },
    },
    {
      name: 'benchmarks-use-the-package',
      comment:
        'Benchmarks measure what users get through the public entries; a stage timing (k-means++ seeding, one ' +
        "likelihood evaluation) may use a folder's internal.ts, never a file behind it.",
      severity: 'error',
      from: { path: '^benchmarks/' },
      to: { path: '^src/', pathNot: ['^src/index\\.ts$', '^src/api/[^/]+\\.ts$', '^src/[^/]+/(index|internal)\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
