/**
 * Shared helpers of the benchmarks: timing, memory, Arrow buffer sizes, machine description and the
 * `RESULTS.md` writer. Benchmarks only; nothing here is part of the package.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import type { Data, Table } from 'apache-arrow';

/** Runs `global.gc` twice when node was started with `--expose-gc`; returns whether it could. */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  gc();
  gc();
  return true;
}

/** The median of a few numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** Wall-clock milliseconds of `fn` (sync or async) and its result. */
export async function timed<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/**
 * One warm-up call, then `runs` timed calls; garbage is collected before each timed call (when exposed) so
 * that one run does not pay for the previous one's garbage.
 */
export async function medianOf(runs: number, fn: () => unknown): Promise<{ median: number; runs: number[] }> {
  await fn();
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    collectGarbage();
    times.push((await timed(fn)).ms);
  }
  return { median: median(times), runs: times };
}

/** Bytes held by the Arrow buffers of a table (values, offsets, validity, children, dictionaries). */
export function arrowBytes(table: Table): number {
  let total = 0;
  const visit = (data: Data): void => {
    for (const buffer of [data.values, data.valueOffsets, data.nullBitmap, data.typeIds] as (
      ArrayBufferView | undefined
    )[]) {
      total += buffer?.byteLength ?? 0;
    }
    for (const child of data.children) visit(child);
    if (data.dictionary) for (const d of data.dictionary.data) visit(d);
  };
  for (const batch of table.batches) for (const child of batch.data.children) visit(child);
  return total;
}

/** `process.memoryUsage()` and the peak resident set so far, in bytes. */
export function memorySnapshot(): { rss: number; arrayBuffers: number; heapUsed: number; maxRss: number } {
  const m = process.memoryUsage();
  return {
    rss: m.rss,
    arrayBuffers: m.arrayBuffers,
    heapUsed: m.heapUsed,
    maxRss: process.resourceUsage().maxRSS * 1024,
  };
}

/**
 * Linux only: resets the peak resident set of this process (`VmHWM`) to its current RSS by writing 5 to
 * `/proc/self/clear_refs` (Linux ≥ 4.0). Returns false where that is not possible.
 *
 * Why: `process.resourceUsage().maxRSS` is the high-water mark of the whole process life, and on Linux a child
 * started by fork + exec also inherits the RSS its parent had at the fork (the kernel folds the old address
 * space's peak into `maxrss` at exec). A child spawned by a large parent therefore reports the parent's size.
 */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return peakRssSinceReset() !== null;
  } catch {
    return false;
  }
}

/** Linux only: `VmHWM` of `/proc/self/status` in bytes (the peak RSS since start or the last reset), else null. */
export function peakRssSinceReset(): number | null {
  try {
    const match = /VmHWM:\s+(\d+)\s*kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Node version, CPU model and core count, total memory. */
export function machine(): string {
  const cpus = os.cpus();
  const gib = (os.totalmem() / 2 ** 30).toFixed(0);
  return `node ${process.version}, ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${gib} GiB, ${os.platform()} ${os.arch()}`;
}

export const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;
export const ms = (t: number): string => (t >= 100 ? t.toFixed(0) : t.toFixed(1));

/** A Markdown table from a header and rows of cells. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * Writes `body` as the section headed `## title` of the Markdown file at `path`, replacing that section (up to the
 * next `## ` heading) if it exists and keeping every other section as it is.
 */
export function writeResultsSection(path: string, title: string, body: string): void {
  const heading = `## ${title}`;
  const section = `${heading}\n\n${body.trim()}\n`;
  const text = existsSync(path)
    ? readFileSync(path, 'utf8')
    : '# Benchmark results\n\nSee `benchmarks/README.md` for what each benchmark measures.\n';
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === heading);
  let next: string;
  if (start < 0) {
    next = `${text.trimEnd()}\n\n${section}`;
  } else {
    let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
    if (end < 0) end = lines.length;
    const before = lines.slice(0, start).join('\n').trimEnd();
    const after = lines.slice(end).join('\n').trim();
    next = `${before}\n\n${section}${after ? `\n${after}\n` : ''}`;
  }
  writeFileSync(path, next.replace(/^\n+/, ''));
}
