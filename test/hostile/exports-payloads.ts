/**
 * Hostile text for the report and chart cases of the exports corpus (issue 15): markup, script, URL and template
 * payloads, line separators and a very long name, and a line-item log whose customer ids, item names and column
 * names carry them; and an RFC 4180 parser written apart from src/io. Shared by the exports test files.
 */

/** Each payload, if it ran, would set `window.pwned` or `document.title`. */
export const PAYLOADS: readonly string[] = [
  '</script><script>document.title="pwned";window.pwned=1</script>',
  '<img src=x onerror="window.pwned=1">',
  '"><svg onload="window.pwned=1">',
  "'><svg/onload=window.pwned=1>",
  'javascript:window.pwned=1',
  'line\u2028sep\u2029arator',
  '{{constructor.constructor("window.pwned=1")()}}',
  '${window.pwned=1}',
  '<!--',
  ']]><iframe srcdoc="<script>parent.pwned=1</script>">',
  'a.b',
  'x[0]',
  'L'.repeat(2000),
];

/** The hostile column names of the log (options of analysisReport name them). */
export const COLUMNS = {
  customer: '"><svg onload="window.pwned=1">',
  date: 'date<img src=x onerror="window.pwned=1">',
  amount: 'amount.value[0]',
  transaction: "tx'id",
  item: '</script><script>window.pwned=1</script>',
} as const;

/** Deterministic pseudo-random integers (a linear congruential generator), so the fixture is the same every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * A line-item log: 80 customers (the first ones named by a payload), 1–6 transactions each over 2023–2024, 1–3
 * lines per transaction, items from a list where payload names (and the 2,000-character one) sit beside bread and
 * milk (so basket rules exist),
 * one net return. Columns named by {@link COLUMNS}.
 */
export function hostileLog(): Record<string, unknown[]> {
  const next = lcg(15);
  const items = [...PAYLOADS.slice(0, 6), PAYLOADS[PAYLOADS.length - 1], 'bread', 'milk', 'butter', 'jam'];
  const ids = Array.from({ length: 80 }, (_, i) => (i < PAYLOADS.length ? `${PAYLOADS[i]}#${i}` : `customer ${i}`));
  const log: Record<string, unknown[]> = {
    [COLUMNS.transaction]: [],
    [COLUMNS.customer]: [],
    [COLUMNS.date]: [],
    [COLUMNS.amount]: [],
    [COLUMNS.item]: [],
  };
  let tx = 0;
  const start = Date.UTC(2023, 0, 1);
  ids.forEach((id, i) => {
    const visits = 1 + Math.floor(next() * 6);
    for (let v = 0; v < visits; v++) {
      tx++;
      const day = new Date(start + Math.floor(next() * 700) * 86_400_000);
      const lines = 1 + Math.floor(next() * 3);
      const first = Math.floor(next() * items.length);
      for (let l = 0; l < lines; l++) {
        log[COLUMNS.transaction].push(`T${tx}`);
        log[COLUMNS.customer].push(id);
        log[COLUMNS.date].push(day);
        log[COLUMNS.amount].push(i === 3 && v === 0 && l === 0 ? -12.5 : Math.round(5 + next() * 95));
        log[COLUMNS.item].push(items[(first + l * 3) % items.length]);
      }
    }
  });
  return log;
}

/** RFC 4180 records of `text` (quoted fields, doubled quotes, `\n` line ends), written independently of src/io. */
export function parseCsv(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}
