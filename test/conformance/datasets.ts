import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The public datasets folder beside the repository (`../shared/datasets`), never copied into it. */
export const DATASETS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/datasets');

/** The path of a dataset, or null (with a one-line message) when the folder is absent. */
export function dataset(name: string): string | null {
  const path = resolve(DATASETS, name);
  if (existsSync(path)) return path;
  // eslint-disable-next-line no-console
  console.warn(`skipping: ${DATASETS} is absent (no ${name}); the conformance tests need ../shared/datasets`);
  return null;
}

/** Splits one CSV line with double-quoted fields (RFC 4180 quoting, no embedded newlines). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

export function readLines(path: string): string[] {
  return readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim().length > 0);
}
