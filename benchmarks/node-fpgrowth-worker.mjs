/**
 * Worker thread of `basket.bench.ts`: times node-fpgrowth 1.2.1 on one basket file, in the benchmark's process
 * but on its own thread, so that the benchmark can stop a run that exceeds its budget (`worker.terminate()`) and give
 * the library's recursion a deep stack. Plain JavaScript: tsx does not load TypeScript in worker threads on Node 20.
 *
 * workerData: { file, separator, support, warmupSupport, runsByFirst }.
 * 1. Reads the file (one basket a line, fields split on `separator`, empty fields and repeats dropped, as the
 *    benchmark reads it for clientele) and codes the item names as integers 0, 1, … in order of first appearance:
 *    node-fpgrowth gets `number[][]` (`FPGrowth<number>`). Not timed.
 * 2. Warm-up: one `exec` at `warmupSupport` (compiles the code). Not timed.
 * 3. Posts { type: 'ready' } and waits for a message; the benchmark starts its budget clock and sends 'go'.
 * 4. Times `new FPGrowth(support).exec(transactions)` with `performance.now()` — once, then more runs by the
 *    benchmark's repeat rule `runsByFirst` (it reports the median) — then posts { type: 'done', runs,
 *    itemsets } where itemsets are canonical keys: item names sorted (code-unit order) joined by U+0001, then U+0001,
 *    '#' and the count — the benchmark builds the same keys from clientele's table and compares the lists.
 *
 * node-fpgrowth's threshold: `exec` replaces the support s by `Math.ceil(s * transactions.length)` and keeps items and
 * itemsets whose count is ≥ that — the same rule as clientele (⌈minSupport × n⌉); the benchmark checks the two
 * counts agree before it runs.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

const { FPGrowth } = createRequire(import.meta.url)('node-fpgrowth');
const { file, separator, support, warmupSupport, runsByFirst } = workerData;
/** Number of timed runs by the first run's duration, as the benchmark's rule for clientele ([[below ms, runs], …]). */
const runsAfter = (firstMs) => runsByFirst.find(([below]) => firstMs < below)?.[1] ?? 1;

const lines = readFileSync(file, 'utf8').split('\n');
if (lines[lines.length - 1] === '') lines.pop();
const codes = new Map();
const names = [];
const transactions = lines.map((line) => {
  const basket = new Set();
  for (const field of line.replace(/\r$/, '').split(separator)) {
    if (field.length === 0) continue;
    let code = codes.get(field);
    if (code === undefined) {
      code = names.length;
      codes.set(field, code);
      names.push(field);
    }
    basket.add(code);
  }
  return [...basket];
});

await new FPGrowth(warmupSupport).exec(transactions);

parentPort.once('message', async () => {
  const runs = [];
  let result = null;
  for (let r = 0; r < (r === 0 ? 1 : runsAfter(runs[0])); r++) {
    result = null;
    const t0 = performance.now();
    result = await new FPGrowth(support).exec(transactions);
    runs.push(performance.now() - t0);
  }
  const itemsets = result.map(
    (set) =>
      `${set.items
        .map((code) => names[code])
        .sort()
        .join('\u0001')}\u0001#${set.support}`,
  );
  parentPort.postMessage({ type: 'done', runs, itemsets });
});
parentPort.postMessage({ type: 'ready' });
