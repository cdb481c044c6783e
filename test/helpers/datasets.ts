import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** The public datasets that travel with the repository, gzipped (datasets/README.md: provenance and licence). */
export const DATASETS = resolve(dirname(fileURLToPath(import.meta.url)), '../../datasets');
const UNPACKED = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts/datasets');

/**
 * The path of a dataset of `datasets/`, unpacked once into test/artifacts/datasets (git-ignored) so that readers
 * that take a path (readTable, the CLI) get the file as published. Unpacking writes a temporary file and renames it,
 * so test files running in parallel never see half a file. A dataset missing from the repository is an error, not
 * a skip.
 */
export function dataset(name: string): string {
  const packed = resolve(DATASETS, `${name}.gz`);
  const path = resolve(UNPACKED, name);
  if (existsSync(path)) return path;
  if (!existsSync(packed))
    throw new Error(`dataset ${name}: ${packed} is missing; every dataset a test reads is committed under datasets/`);
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(temporary, gunzipSync(readFileSync(packed)));
  renameSync(temporary, path);
  return path;
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
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim().length > 0);
}
