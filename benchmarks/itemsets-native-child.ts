/**
 * One end-to-end itemset call (file → itemset table) in a fresh process, so that its peak memory is its own:
 *
 *   tsx --expose-gc benchmarks/itemsets-native-child.ts <library dir> <basket file key> <support> <target>
 *
 * Loads the built package from the directory given, resets the peak RSS (VmHWM) just before the call and prints
 * one JSON line: wall and CPU ms, the peak RSS since the reset (bytes) and the number of itemsets.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { childCall } from './harness';
import { BASKET_FILES, basketPath, itemsetsOfFile } from './itemsets-data';
import type { Library, Target } from './itemsets-data';

const [dir, key, support, target] = process.argv.slice(2);
const lib = (await import(pathToFileURL(path.join(dir, 'index.js')).href)) as Library;
const spec = BASKET_FILES[key];
const file = basketPath(spec);
const r = await childCall(() =>
  itemsetsOfFile(lib, file, spec, { minSupport: Number(support), target: target as Target }),
);
console.log(JSON.stringify({ ...r.sample, peakRss: r.peakRss, rssBefore: r.rssBefore, itemsets: r.value.numRows }));
process.exit(0);
