/**
 * Rule measures on Groceries: clientele's `associationRules(…, { measures: 'all' })` against R arules 1.7-10's
 * `interestMeasure` on the same 5,668 rules (`apriori(Groceries, supp = 0.001, conf = 0.5)`), and
 * `significantRules` against `is.significant(…, adjust = "holm")`.
 *
 * Method: R runs as one child process (`Rscript`, R_LIBS=/work/rlib) after clientele's rounds, and times its calls
 * inside R with `system.time` (elapsed and user + system CPU) after one warm-up round, so its start-up is not
 * counted; the two sides are not interleaved (one child per round would count R's start-up). Ours: wall time and
 * process CPU time (`process.cpuUsage`), the itemsets mined once outside the timing. Medians with min–max.
 * R absent or arules missing: the peer is skipped with a message.
 *
 * Run: `npx tsx --expose-gc benchmarks/rule-measures.bench.ts [--rounds 5]`. Prints a markdown section for RESULTS.md.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Table } from 'apache-arrow';
import { associationRules, basketsFromLists, frequentItemsets, significantRules } from '../src/index';
import { collectGarbage, median } from './harness';
import { dataset } from '../test/helpers/datasets';

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 5;
const lines = readFileSync(dataset('groceries.csv'), 'utf8').trimEnd().split('\n');
const baskets = basketsFromLists(lines.map((l) => [...new Set(l.split(',').map((s) => s.trim()))]));
const itemsets = frequentItemsets(baskets, { minSupport: 0.001 });

function time(fn: () => unknown): { wall: number; cpu: number } {
  collectGarbage();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

const R_SCRIPT = `
suppressMessages(library(arules)); data(Groceries)
r <- apriori(Groceries, parameter = list(supp = 0.001, conf = 0.5), control = list(verbose = FALSE))
ms <- c("support","confidence","lift","count","coverage","rhsSupport","leverage","conviction","jaccard","certainty",
 "kulczynski","cosine","addedValue","chiSquared","fishersExactTest","hyperLift","hyperConfidence","oddsRatio","phi",
 "yuleQ","yuleY","kappa","maxconfidence","imbalance","laplace","relativeRisk","improvement")
for (k in seq_len(${rounds} + 1)) {
  a <- system.time(m <- interestMeasure(r, measure = ms, transactions = Groceries))
  b <- system.time(s <- is.significant(r, Groceries, adjust = "holm"))
  if (k > 1) cat(sprintf("%d %.1f %.1f %.1f %.1f\\n", length(r), 1000 * a[["elapsed"]], 1000 * (a[["user.self"]] + a[["sys.self"]]),
    1000 * b[["elapsed"]], 1000 * (b[["user.self"]] + b[["sys.self"]])))
}`;

type Run = { wall: number; cpu: number };
const ours: { all: Run[]; base: Run[]; sig: Run[] } = { all: [], base: [], sig: [] };
let rules: Table = associationRules(itemsets, { minConfidence: 0.5, measures: 'all' }); // warm-up
for (let k = 0; k < rounds; k++) {
  ours.base.push(time(() => associationRules(itemsets, { minConfidence: 0.5 })));
  ours.all.push(time(() => (rules = associationRules(itemsets, { minConfidence: 0.5, measures: 'all' }))));
  const plain = associationRules(itemsets, { minConfidence: 0.5 });
  ours.sig.push(time(() => significantRules(plain, { adjust: 'holm' })));
}
const child = spawnSync('Rscript', ['-e', R_SCRIPT], {
  env: { ...process.env, R_LIBS: '/work/rlib' },
  encoding: 'utf8',
});
const peer =
  child.status === 0
    ? child.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(' ').map(Number))
    : null;
const stat = (xs: number[]) => `${median(xs).toFixed(1)} (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`;
const row = (what: string, runs: { wall: number; cpu: number }[]) =>
  `| ${what} | ${stat(runs.map((r) => r.wall))} | ${stat(runs.map((r) => r.cpu))} |`;
console.log(`## Rule measures (issue 19)\n`);
console.log(
  `Groceries, ${rules.numRows} rules (supp 0.001, conf 0.5), ${rounds} rounds each, ms; ` +
    `${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores, load ${os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}.\n`,
);
console.log('| call | wall median (min–max) | CPU median (min–max) |\n|---|---|---|');
console.log(row('clientele associationRules, default 9 measures', ours.base));
console.log(row(`clientele associationRules, measures 'all' (30)`, ours.all));
console.log(row(`clientele significantRules (Fisher, Holm)`, ours.sig));
if (peer) {
  console.log(
    `| arules interestMeasure, 27 measures (${peer[0][0]} rules) | ${stat(peer.map((p) => p[1]))} | ${stat(peer.map((p) => p[2]))} |`,
  );
  console.log(
    `| arules is.significant (Fisher, Holm) | ${stat(peer.map((p) => p[3]))} | ${stat(peer.map((p) => p[4]))} |`,
  );
  const ratio = median(peer.map((p) => p[1])) / median(ours.all.map((r) => r.wall));
  console.log(`\nRatio arules interestMeasure / clientele measures 'all' (wall medians): ${ratio.toFixed(1)}×.`);
} else
  console.log(
    `\narules peer skipped: Rscript failed or is absent (${child.error?.message ?? child.stderr?.slice(0, 200)}).`,
  );
