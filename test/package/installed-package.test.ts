import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The package as npm ships and installs it:
 * - `npm pack --dry-run --json` lists dist/ (ESM, CJS, types, the binary, the browser build) and nothing of the
 *   repository's tests, datasets or sources; `prepack` and `prepare` build it;
 * - installed without its optional peers (vega, vega-lite, vega-embed: a scratch app whose node_modules holds a
 *   copy of the package and links to its runtime dependencies only), every entry loads in ESM and CJS, the
 *   analyses run, and the report and `clientele report` fail with an error naming the packages to install;
 * - `"sideEffects"` holds in fact: loading any public entry in a fresh Node process adds no global, changes no
 *   built-in prototype and prints nothing.
 * Needs dist/ (npm test builds it before vitest runs).
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, unknown>>;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  sideEffects: boolean | string[];
};
const VEGA = ['vega', 'vega-lite', 'vega-embed'];
const SUBPATHS = Object.keys(pkg.exports)
  .filter((k) => k !== './package.json')
  .map((k) => (k === '.' ? 'clientele' : `clientele/${k.slice(2)}`));

/** Every file an `exports` entry (any condition) or `bin` points at. */
function exportTargets(): string[] {
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.add(v.replace(/^\.\//, ''));
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(pkg.exports);
  walk(pkg.bin);
  return [...out];
}

function node(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  const cli = join(ROOT, pkg.bin.clientele);
  if (!existsSync(cli) || !existsSync(join(ROOT, 'dist/browser/index.js')))
    throw new Error('dist/ is missing: build it with `npx tsup` (npm test builds before running vitest)');
  if (statSync(join(ROOT, 'package.json')).mtimeMs > statSync(cli).mtimeMs)
    throw new Error('dist/ is older than package.json: rebuild it with `npx tsup`');
});

describe('npm pack', () => {
  it('ships dist/ (ESM, CJS, types, binary, browser build) and every exports target, no tests, datasets or sources', () => {
    // scripts ignored: the build is npm test's (prepack would rebuild dist/ while other tests read it)
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const [packed] = JSON.parse(r.stdout) as [{ files: { path: string }[]; unpackedSize: number }];
    const files = new Set(packed.files.map((f) => f.path));
    for (const f of ['dist/index.js', 'dist/index.cjs', 'dist/cli.js', 'dist/index.d.ts', 'dist/browser/index.js'])
      expect(files.has(f), f).toBe(true);
    for (const target of exportTargets()) expect(files.has(target), `exports/bin target ${target}`).toBe(true);
    for (const f of files) {
      expect(f, 'only dist/ and the top-level documents').toMatch(
        /^(dist\/|README\.md$|CHANGELOG\.md$|LICENSE$|package\.json$)/,
      );
      expect(f).not.toMatch(/^(test|datasets|src|benchmarks|examples|node_modules)\//);
    }
  });

  it('prepack rebuilds dist/; prepare builds it on npm install in a clone; vega packages are optional peers', () => {
    expect(pkg.scripts.prepack).toMatch(/^tsup\b/);
    expect(pkg.scripts.prepare).toBe('node scripts/prepare.mjs');
    expect(existsSync(join(ROOT, 'scripts/prepare.mjs'))).toBe(true);
    for (const name of VEGA) {
      expect(pkg.dependencies[name], name).toBeUndefined();
      expect(pkg.peerDependencies[name], name).toBeDefined();
      expect(pkg.peerDependenciesMeta[name]?.optional, name).toBe(true);
      expect(pkg.devDependencies[name], `${name} stays a dev dependency for the tests`).toBeDefined();
    }
  });

  it('the browser build (ESM and CJS) imports no Node built-in', () => {
    const r = spawnSync(
      'grep',
      ['-rlE', `(from|import\\(|require\\()\\s*["'](node:)?(fs|path|url|module|worker_threads|os)["']`, 'dist/browser'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(r.stdout.trim()).toBe('');
    expect(r.status).toBe(1); // grep: no match
  });
});

describe('installed without the optional peers (vega, vega-lite, vega-embed)', () => {
  let app: string;

  beforeAll(() => {
    app = mkdtempSync(join(tmpdir(), 'clientele-app-'));
    const modules = join(app, 'node_modules');
    const home = join(modules, 'clientele');
    mkdirSync(home, { recursive: true });
    cpSync(join(ROOT, 'dist'), join(home, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(home, 'package.json'));
    // the runtime dependencies only, linked (their own dependencies resolve from where they really are)
    for (const name of Object.keys(pkg.dependencies))
      symlinkSync(join(ROOT, 'node_modules', name), join(modules, name), 'dir');
    writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true, "type": "module" }\n');
  });

  afterAll(() => {
    if (app) rmSync(app, { recursive: true, force: true });
  });

  it('finds no vega package from the app (the check below is real)', () => {
    const r = node(
      [
        '-e',
        "try { require.resolve('vega-lite/vega-lite-schema.json'); console.log('found') } catch { console.log('missing') }",
      ],
      app,
    );
    expect(r.stdout.trim()).toBe('missing');
  });

  it('loads every entry in ESM and CJS and runs an analysis', () => {
    const list = SUBPATHS.map((s) => JSON.stringify(s)).join(', ');
    const esm = node(
      [
        '--input-type=module',
        '-e',
        `for (const p of [${list}]) if (!Object.keys(await import(p)).length) throw new Error(p);
         const { rfm, sampleStore } = await import('clientele');
         console.log(rfm(sampleStore({ customers: 50, seed: 1 }).transactions).numRows);`,
      ],
      app,
    );
    expect(esm.stderr).toBe('');
    expect(esm.stdout.trim()).toBe('50');
    const cjs = node(
      ['-e', `for (const p of [${list}]) if (!Object.keys(require(p)).length) throw new Error(p); console.log('ok');`],
      app,
    );
    expect(cjs.stderr).toBe('');
    expect(cjs.stdout.trim()).toBe('ok');
  });

  it('the CJS browser build (for tools that pick "browser" then require, as Jest\'s jsdom) runs and refuses paths', () => {
    const r = node(
      [
        '-e',
        `const c = require('./node_modules/clientele/dist/browser/index.cjs');
         const n = c.rfm(c.sampleStore({ customers: 40, seed: 2 }).transactions).numRows;
         c.readTable('tx.csv').then(() => console.log('read'), (e) => console.log(n, e.code, e.message));`,
      ],
      app,
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^40 INVALID_INPUT readTable: reading or writing a path needs node:fs/);
  });

  it('analysisReport fails before the analyses with a ClienteleError naming the packages to install', () => {
    const r = node(
      [
        '--input-type=module',
        '-e',
        `const { analysisReport, sampleStore } = await import('clientele');
         let steps = 0;
         try {
           await analysisReport(sampleStore({ customers: 50, seed: 1 }).transactions, { onProgress: () => steps++ });
           console.log('no error');
         } catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message, steps })); }`,
      ],
      app,
    );
    expect(r.stderr).toBe('');
    const e = JSON.parse(r.stdout) as { name: string; code: string; message: string; steps: number };
    expect(e.name).toBe('ClienteleError');
    expect(e.code).toBe('INVALID_OPTION');
    expect(e.message).toMatch(/^analysisReport: cannot read the browser builds of vega, vega-lite and vega-embed/);
    expect(e.message).toContain('npm install vega vega-lite vega-embed');
    expect(e.steps, 'no analysis ran before the error').toBe(0);
  });

  it('`clientele report` exits non-zero with the same advice; `clientele rfm` works', () => {
    const csv = join(app, 'tx.csv');
    writeFileSync(csv, 'customer,date,amount\na,2024-01-05,10\nb,2024-02-01,20\na,2024-03-01,5\n');
    const cli = join(app, 'node_modules/clientele', pkg.bin.clientele);
    const report = node([cli, 'report', csv, '--quiet', '--out', join(app, 'r.html')], app);
    expect(report.status).not.toBe(0);
    expect(report.stderr).toContain('npm install vega vega-lite vega-embed');
    expect(existsSync(join(app, 'r.html'))).toBe(false);
    const rfm = node([cli, 'rfm', csv, '--quiet', '--as-of', '2024-12-31'], app);
    expect(rfm.stderr).toBe('');
    expect(rfm.status).toBe(0);
  });

  it('"sideEffects" is true in fact: loading an entry adds no global, touches no prototype, prints nothing', () => {
    // the runtime dependencies are loaded first: they answer for their own side effects (apache-arrow's tslib writes
    // its 26 helpers, __awaiter …, onto globalThis when Node loads it), clientele for what its modules do
    const deps = ['apache-arrow', 'simple-statistics', 'ml-matrix', 'ml-cart'];
    // a fingerprint of the global state a module could change at load time
    const fingerprint = `(() => {
      const names = (o) => Reflect.ownKeys(o).map(String).sort().join(',');
      return JSON.stringify([names(globalThis), names(Object.prototype), names(Array.prototype), names(Function.prototype),
        names(Promise.prototype), names(Math), names(JSON), names(Symbol), Object.keys(process.env).length]);
    })()`;
    // one process per module system loads the entries one after the other, taking the fingerprint after each: a
    // change is charged to the first entry whose loading made it (the entries share modules)
    for (const mode of ['esm', 'cjs'] as const) {
      const load = (p: string) =>
        mode === 'esm' ? `await import(${JSON.stringify(p)});` : `require(${JSON.stringify(p)});`;
      const loadDeps = deps.map(load).join(' ');
      const steps = SUBPATHS.map(
        (p) => `${load(p)} { const after = ${fingerprint};
          if (after !== before) { process.stdout.write(${JSON.stringify(p)} + ' changed ' + before + ' -> ' + after + '\\n'); process.exitCode = 1; } before = after; }`,
      ).join('\n');
      const script = `${loadDeps} let before = ${fingerprint};\n${steps}`;
      const args = mode === 'esm' ? ['--input-type=module', '-e', script] : ['-e', script];
      const r = node(args, app);
      expect({ mode, ...r }).toEqual({ mode, status: 0, stdout: '', stderr: '' });
    }
  });
});
