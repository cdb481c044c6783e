/**
 * Independent brute-force sequence containment for the sequence tests: a recursive search over every embedding,
 * written from the definition (Agrawal & Srikant 1995; cSPADE's gap and window constraints, Zaki 2000) and sharing
 * no code with src/sequence.
 */

/** One customer's events: a time and the items bought then, times strictly increasing. */
export type BruteSequence = readonly { readonly time: number; readonly items: ReadonlySet<string> }[];

export interface BruteConstraints {
  minGap?: number;
  maxGap?: number;
  maxWindow?: number;
}

/** Whether `sequence` contains `pattern` (elements subsets of strictly later events, within the constraints). */
export function contains(
  sequence: BruteSequence,
  pattern: readonly (readonly string[])[],
  c: BruteConstraints = {},
): boolean {
  const search = (k: number, from: number, previous: number, start: number): boolean => {
    if (k === pattern.length) return true;
    for (let j = from; j < sequence.length; j++) {
      const { time, items } = sequence[j];
      if (k > 0) {
        const gap = time - previous;
        if (c.minGap !== undefined && gap < c.minGap) continue;
        if (c.maxGap !== undefined && gap > c.maxGap) continue;
        if (c.maxWindow !== undefined && time - start > c.maxWindow) continue;
      }
      if (pattern[k].every((x) => items.has(x)) && search(k + 1, j + 1, time, k === 0 ? time : start)) return true;
    }
    return false;
  };
  return search(0, 0, 0, 0);
}

/** How many sequences contain the pattern. */
export function bruteCount(
  sequences: readonly BruteSequence[],
  pattern: readonly (readonly string[])[],
  c: BruteConstraints = {},
): number {
  let n = 0;
  for (const s of sequences) if (contains(s, pattern, c)) n++;
  return n;
}

/** A pattern as one key: elements' items sorted (JS order) and joined. */
export function patternKey(pattern: readonly (readonly string[])[]): string {
  return pattern.map((e) => [...e].sort().join(',')).join(' | ');
}

/** Parses arulesSequences' text form `<{a,b},{c}>` into elements. */
export function parsePattern(text: string): string[][] {
  const inner = text.trim().replace(/^</, '').replace(/>$/, '');
  return inner
    .slice(1, -1)
    .split('},{')
    .map((e) => e.split(','));
}

/** Every non-empty subset of `items` with at most `maxSize` items (items in the order given). */
export function subsets(items: readonly string[], maxSize: number): string[][] {
  const out: string[][] = [];
  const grow = (from: number, current: string[]) => {
    if (current.length > 0) out.push([...current]);
    if (current.length === maxSize) return;
    for (let i = from; i < items.length; i++) grow(i + 1, [...current, items[i]]);
  };
  grow(0, []);
  return out;
}
