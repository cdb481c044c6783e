// The folder graph of src/: which folder imports which (type-only imports included), the count of cross-folder
// imports and of those that reach past a folder's index.ts / internal.ts, and a check that the graph has no cycle.
// `npm run graph` prints it; CI runs it and fails on a folder cycle (dependency-cruiser checks the layer rules).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) files.push(path);
  }
})(SRC);

const folderOf = (path) => relative(SRC, path).split(sep)[0];
const edges = new Map();
let cross = 0;
const reachIns = [];
const specifier = /(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;
for (const file of files) {
  if (dirname(file) === SRC) continue; // src/index.ts re-exports the public faces
  const from = folderOf(file);
  for (const m of readFileSync(file, 'utf8').matchAll(specifier)) {
    const target = normalize(join(dirname(file), m[1] ?? m[2]));
    const to = folderOf(target);
    if (to === from || to.startsWith('..')) continue;
    cross++;
    const base = target
      .split(sep)
      .at(-1)
      .replace(/\.(js|ts)$/, '');
    if (base !== 'index' && base !== 'internal' && to !== 'api')
      reachIns.push(`${relative(SRC, file)} -> ${relative(SRC, target)}`);
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from).add(to);
  }
}

for (const [from, to] of [...edges].sort()) console.log(`${from.padEnd(13)}-> ${[...to].sort().join(' ')}`);
console.log(`\n${cross} cross-folder imports, ${reachIns.length} past an index.ts/internal.ts`);
for (const r of reachIns) console.log(`  reach-in: ${r}`);

// a cycle of folders: depth-first search with colours
const colour = new Map();
const cycle = [];
function visit(node, path) {
  colour.set(node, 'grey');
  for (const next of edges.get(node) ?? []) {
    if (colour.get(next) === 'grey')
      cycle.push([...path, node, next].slice([...path, node].indexOf(next)).join(' -> '));
    else if (!colour.has(next)) visit(next, [...path, node]);
  }
  colour.set(node, 'black');
}
for (const node of [...edges.keys()].sort()) if (!colour.has(node)) visit(node, []);
if (cycle.length > 0 || reachIns.length > 0) {
  for (const c of cycle) console.error(`folder cycle: ${c}`);
  process.exit(1);
}
console.log('no folder cycle');
