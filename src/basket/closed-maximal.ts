import type { MinedItemsets } from './mined';

/** 1 for itemsets to keep: closed (no immediate superset with the same count) or maximal (no frequent immediate superset). */
export function closedOrMaximal(mined: MinedItemsets, target: 'closed' | 'maximal'): Uint8Array {
  const { offsets, codes, counts } = mined;
  const sets = counts.length;
  const index = new Map<string, number>();
  const key = (from: number, to: number, skip: number): string => {
    let k = '';
    for (let t = from; t < to; t++) if (t !== skip) k += `${codes[t]},`;
    return k;
  };
  for (let s = 0; s < sets; s++) index.set(key(offsets[s], offsets[s + 1], -1), s);
  const keep = new Uint8Array(sets).fill(1);
  for (let s = 0; s < sets; s++) {
    const from = offsets[s];
    const to = offsets[s + 1];
    if (to - from < 2) continue;
    for (let skip = from; skip < to; skip++) {
      const sub = index.get(key(from, to, skip));
      if (sub === undefined) continue;
      if (target === 'maximal' || counts[sub] === counts[s]) keep[sub] = 0;
    }
  }
  return keep;
}
