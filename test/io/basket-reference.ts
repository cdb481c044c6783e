/** Independent readings of basket text for the basket-reader tests (split, Set, Map: no clientele code). */
import type { Table } from 'apache-arrow';

/** The long table as [transaction, item] pairs (item null for an empty basket). */
export function pairs(table: Table): [number, string | null][] {
  const t = table.getChild('transaction')!;
  const item = table.getChild('item')!;
  return Array.from({ length: table.numRows }, (_, i) => [t.get(i) as number, item.get(i) as string | null]);
}

/**
 * The reference reading: lines split on \n (a \r before it dropped), items split on the delimiter (runs of blanks
 * for whitespace), empty items dropped, a repeated item kept once; an empty basket is one pair with a null item.
 */
export function reference(text: string, delimiter: string): { pairs: [number, string | null][]; duplicates: number } {
  const lines = text.split(/\r?\n|\r/);
  if (lines[lines.length - 1] === '') lines.pop();
  const out: [number, string | null][] = [];
  let duplicates = 0;
  lines.forEach((line, k) => {
    const fields = delimiter === 'whitespace' ? line.split(/[ \t]+/) : line.split(delimiter);
    const seen = new Set<string>();
    for (const f of fields) {
      if (f === '') continue;
      if (seen.has(f)) duplicates++;
      else {
        seen.add(f);
        out.push([k + 1, f]);
      }
    }
    if (seen.size === 0) out.push([k + 1, null]);
  });
  return { pairs: out, duplicates };
}

/**
 * The long table as text, one `transaction<TAB>item` line per row (`-` for a null item), read through the Arrow
 * buffers (codes and dictionary) so that a million rows compare in a blink.
 */
export function pairsText(table: Table): string {
  const out: string[] = [];
  for (const batch of table.batches) {
    const t = batch.getChild('transaction')!.toArray() as Int32Array;
    const data = batch.getChild('item')!.data[0];
    const names = data.dictionary!.toArray() as string[];
    const codes = data.values as Int32Array;
    for (let i = 0; i < batch.numRows; i++) out.push(`${t[i]}\t${data.getValid(i) ? names[codes[i]] : '-'}`);
  }
  return out.join('\n');
}

export const referenceText = (text: string, delimiter: string) =>
  reference(text, delimiter)
    .pairs.map(([t, item]) => `${t}\t${item ?? '-'}`)
    .join('\n');

/** How many lines each item is on, counted from the text with split. */
export function itemFrequency(text: string, delimiter: string | RegExp): Map<string, number> {
  const freq = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    for (const item of new Set(line.split(delimiter).filter((x) => x !== '')))
      freq.set(item, (freq.get(item) ?? 0) + 1);
  }
  return freq;
}

/** How many distinct transactions hold each item in the table read. */
export function tableFrequency(table: Table): Map<string, number> {
  const freq = new Map<string, number>();
  for (const row of pairsText(table).split('\n')) {
    const item = row.slice(row.indexOf('\t') + 1);
    if (item !== '-') freq.set(item, (freq.get(item) ?? 0) + 1);
  }
  return freq;
}
