// The package as a user installs it: install size, package count and cold import time.
//
//   node benchmarks/footprint.bench.mjs [tarball …]    (npm run bench:footprint)
//
// With no argument the repository is packed first (`npm pack`, whose prepack script builds dist/). Each tarball is
// installed with `npm install <tarball>` into a fresh temporary project (registry, or npm's cache when it has the
// packages; --prefer-offline), then measured:
// - packages: the entries of the project's package-lock.json (every installed package, nested ones included);
// - size: the bytes of every file under node_modules (apparent size) and `du -sk` (disk blocks);
// - the largest installed packages;
// - cold import: a fresh `node` process per run, timing `await import(…)` (ESM) or `require(…)` (CJS) of the root
//   and of `clientele/rfm` (and of apache-arrow alone) with performance.now() around the call; median and range of
//   RUNS runs (FOOTPRINT_RUNS, default 7).
// Prints a Markdown table per tarball (benchmarks/RESULTS.md, "Install size and import time").
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, lstatSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.FOOTPRINT_RUNS ?? 7);
// apache-arrow, which every entry loads, is timed alone for reference
const ENTRIES = ['clientele', 'clientele/rfm', 'apache-arrow'];

/** Bytes of the files under `dir` (symbolic links not followed), by top-level package. */
function sizes(dir) {
  const byPackage = new Map();
  let total = 0;
  const walk = (path, owner) => {
    const stat = lstatSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) walk(join(path, name), owner);
    } else {
      total += stat.size;
      byPackage.set(owner, (byPackage.get(owner) ?? 0) + stat.size);
    }
  };
  for (const name of readdirSync(dir)) {
    if (name.startsWith('@')) {
      for (const sub of readdirSync(join(dir, name))) walk(join(dir, name, sub), `${name}/${sub}`);
    } else walk(join(dir, name), name);
  }
  return { total, byPackage };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Milliseconds to load `entry` in a fresh process, RUNS times. */
function importTimes(app, entry, mode) {
  const load = mode === 'esm' ? `await import(${JSON.stringify(entry)})` : `require(${JSON.stringify(entry)})`;
  const script =
    `const t0 = performance.now(), c0 = process.cpuUsage(); ${load}; const c = process.cpuUsage(c0); ` +
    `process.stdout.write(JSON.stringify([performance.now() - t0, (c.user + c.system) / 1000]));`;
  const args = mode === 'esm' ? ['--input-type=module', '-e', script] : ['-e', script];
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(process.execPath, args, { cwd: app, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${mode} import of ${entry} failed: ${r.stderr}`);
    times.push(JSON.parse(r.stdout));
  }
  return { wall: times.map((t) => t[0]), cpu: times.map((t) => t[1]) };
}

function measure(tarball) {
  const app = mkdtempSync(join(tmpdir(), 'clientele-footprint-'));
  try {
    writeFileSync(join(app, 'package.json'), '{ "name": "footprint-app", "version": "1.0.0", "private": true }\n');
    const t0 = performance.now();
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], {
      cwd: app,
      stdio: 'pipe',
    });
    const installSeconds = (performance.now() - t0) / 1000;
    const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8'));
    const packages = Object.keys(lock.packages).filter((p) => p !== '').length;
    const { total, byPackage } = sizes(join(app, 'node_modules'));
    const diskKb = Number(execFileSync('du', ['-sk', join(app, 'node_modules')], { encoding: 'utf8' }).split('\t')[0]);
    const largest = [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 8);
    const vegaD3 = [...byPackage].filter(([n]) => /^(vega|d3)/.test(n)).reduce((s, [, b]) => s + b, 0);
    const times = [];
    for (const entry of ENTRIES) {
      for (const mode of ['esm', 'cjs']) times.push({ entry, mode, ms: importTimes(app, entry, mode) });
    }
    return {
      tarball,
      packages,
      total,
      diskKb,
      largest,
      vegaD3,
      installSeconds,
      times,
      self: byPackage.get('clientele'),
    };
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
}

const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;

function report(m) {
  console.log(`\n### ${basename(m.tarball)} (${m.tarball})\n`);
  console.log(
    `| installed packages | node_modules (apparent) | node_modules (du -sk) | vega* + d3* | clientele itself | install time |`,
  );
  console.log(`|---:|---:|---:|---:|---:|---:|`);
  console.log(
    `| ${m.packages} | ${mb(m.total)} | ${(m.diskKb / 1024).toFixed(1)} MiB | ${mb(m.vegaD3)} | ${mb(m.self ?? 0)} | ${m.installSeconds.toFixed(1)} s |`,
  );
  console.log(`\nlargest: ${m.largest.map(([n, b]) => `${n} ${mb(b)}`).join(', ')}\n`);
  console.log(
    `| cold import (fresh node, ${RUNS} runs) | wall, median | wall, min – max | CPU, median | CPU, min – max |`,
  );
  console.log(`|---|---:|---:|---:|---:|`);
  const span = (xs) => `${Math.min(...xs).toFixed(0)} – ${Math.max(...xs).toFixed(0)} ms`;
  for (const t of m.times) {
    const call = t.mode === 'esm' ? `await import('${t.entry}')` : `require('${t.entry}')`;
    const { wall, cpu } = t.ms;
    console.log(
      `| ${call} | ${median(wall).toFixed(0)} ms | ${span(wall)} | ${median(cpu).toFixed(0)} ms | ${span(cpu)} |`,
    );
  }
}

let tarballs = process.argv.slice(2).map((t) => resolve(t));
if (tarballs.length === 0) {
  const out = mkdtempSync(join(tmpdir(), 'clientele-pack-'));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: ROOT, encoding: 'utf8' }),
  );
  tarballs = [join(out, packed[0].filename)];
}
console.log(`node ${process.version}, npm ${execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim()}`);
for (const tarball of tarballs) report(measure(tarball));
