import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index';
import { minimize } from '../src/math/minimize';
import { randomSource } from '../src/math/random';
import { observedCovariance, observedCovarianceFromGradient, standardErrors } from '../src/math/standard-errors';
import { knownOptions, optionNames } from '../src/table/options';

/**
 * Every `@example` in src/ runs as a test (STYLE: "@examples run as tests"). A line `expression; // expected`
 * becomes an assertion when `expected` is a literal (numbers within 1e-9 relative; typed arrays as arrays);
 * comments starting "e.g." or in words are illustrations and only run. The examples see the public API, the
 * internal math helpers that carry examples, and `tx`, a small sample store's transactions.
 */

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

interface Example {
  file: string;
  line: number;
  code: string[];
}

function examples(): Example[] {
  const out: Example[] = [];
  for (const file of sourceFiles(SRC)) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, i) => {
      if (!/^\s*\*\s*@example\b/.test(text)) return;
      const code: string[] = [];
      for (let j = i + 1; j < lines.length; j++) {
        if (/^\s*\*\//.test(lines[j]) || /^\s*\*\s*@\w+/.test(lines[j])) break;
        code.push(lines[j].replace(/^\s*\* ?/, ''));
      }
      out.push({ file: relative(SRC, file), line: i + 1, code });
    });
  }
  return out;
}

/** The literal a comment states, or undefined when it is prose or an illustration. */
function expectedOf(comment: string): { value: unknown } | undefined {
  const text = comment.trim();
  if (/^e\.g\./.test(text)) return undefined;
  const literal = (s: string) => {
    const t = s.replace(/^(Int8|Int16|Int32|Float32|Float64|Uint8)Array\s*/, '');
    try {
      return { value: new Function(`return (${t});`)() as unknown };
    } catch {
      return undefined;
    }
  };
  return (
    literal(text) ?? (/^(true|false|-?[\d.]+):/.test(text) ? literal(text.slice(0, text.indexOf(':'))) : undefined)
  );
}

function normalise(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalise(x)]));
  }
  return v;
}

function close(actual: unknown, expected: unknown, where: string): void {
  const a = normalise(actual);
  const e = normalise(expected);
  if (typeof e === 'number' && typeof a === 'number') {
    expect(Math.abs(a - e), where).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(e)));
  } else if (Array.isArray(e) && Array.isArray(a) && a.length === e.length) {
    e.forEach((x, k) => close(a[k], x, `${where}[${k}]`));
  } else expect(a, where).toEqual(e);
}

let assertions = 0;
const all = examples();

describe('doc examples', () => {
  const tx = api.sampleStore({ customers: 200, seed: 1 }).transactions;
  // internal helpers with examples of their own join the public API in scope
  const scope: Record<string, unknown> = {
    ...api,
    randomSource,
    minimize,
    standardErrors,
    observedCovariance,
    observedCovarianceFromGradient,
    knownOptions,
    optionNames,
    tx,
  };
  for (const ex of all) {
    it(`${ex.file}:${ex.line} runs${ex.code.some((l) => /;\s*\/\/.+/.test(l)) ? ' and shows what it says' : ''}`, async () => {
      const body = ex.code.map((line, k) => {
        const m = /^(\s*)(.*?);\s*\/\/\s*(.+)$/.exec(line);
        if (!m || /^(const|let|var)\s/.test(m[2]) || !expectedOf(m[3])) return line;
        assertions++;
        // an awaited expression is evaluated in the example's own async body, then checked as a value
        const value = /\bawait\b/.test(m[2]) ? `await (${m[2]})` : `(() => (${m[2]}))()`;
        return `${m[1]}__check(${value}, ${JSON.stringify(m[3])}, ${JSON.stringify(`${ex.file}:${ex.line + 1 + k}`)});`;
      });
      const check = (value: unknown, comment: string, where: string) => close(value, expectedOf(comment)!.value, where);
      const names = Object.keys(scope);
      // Examples of async functions use top-level `await`: run those as an async function body.
      const usesAwait = body.some((line) => /\bawait\b/.test(line));
      const Body = (usesAwait ? Object.getPrototypeOf(async () => {}).constructor : Function) as FunctionConstructor;
      await new Body(...names, '__check', body.join('\n'))(...names.map((n) => scope[n]), check);
    });
  }
  it('found the examples and asserted their stated results', () => {
    expect(all.length).toBeGreaterThanOrEqual(15);
    expect(assertions).toBeGreaterThanOrEqual(15);
  });
});
