import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProgress } from '../../src/cli/progress';
import { runCli } from '../../src/cli/run-cli';
import { randomSource } from '../../src/math/random';
import type { CliIo } from '../../src/cli/cli-io';

/** A terminal double: stderr says it is a TTY and keeps every byte written to it. */
function terminal(): { io: CliIo; err: () => string } {
  let err = '';
  return {
    io: {
      stdout: { write: () => true },
      stderr: { write: (s: string) => ((err += s), true), isTTY: true, columns: 120 },
    },
    err: () => err,
  };
}

/** The percentages drawn on the bar whose label contains `label`, in drawing order. */
function drawn(stderr: string, label: string): number[] {
  const out: number[] = [];
  // a frame is ' <label> [===---] <n>%' between the cursor escapes (ESC …)
  for (const part of stderr.split(String.fromCharCode(27))) {
    const m = / (.*?) \[[=-]*\] (\d+)%/.exec(part);
    if (m && m[1].includes(label)) out.push(Number(m[2]));
  }
  return out;
}

describe('progress bar', () => {
  it('part() maps a callback onto its share of the bar and draws every whole-percent change', () => {
    const t = terminal();
    const bar = createProgress(t.io, false);
    bar.step('step one', 0);
    const report = bar.part('fitting', 0.5, 1);
    for (let i = 0; i <= 10; i++) report(i, 10);
    bar.stop();
    // 50 % + 50 % · i / 10, i = 0 … 10, each drawn once
    expect(drawn(t.err(), 'fitting')).toEqual([50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 100]);
  });

  it('part() is silent off a terminal and with --quiet', () => {
    const t = terminal();
    const quiet = createProgress(t.io, true);
    quiet.part('fitting', 0, 1)(1, 2);
    quiet.stop();
    expect(t.err()).toBe('');
  });
});

describe('clientele segment on 200k rows, on a terminal', () => {
  let dir: string;
  let csv: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'clientele-progress-'));
    csv = join(dir, 'customers.csv');
    const rng = randomSource(16);
    const lines = ['customer,a,b'];
    for (let i = 0; i < 200_000; i++) {
      const c = i % 4;
      lines.push(`c${i},${(3 * c + rng.normal()).toFixed(3)},${((c % 2) * 4 + rng.normal()).toFixed(3)}`);
    }
    writeFileSync(csv, lines.join('\n') + '\n');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the k-means bar moves: non-decreasing percentages with values between its start and 100 %', async () => {
    const t = terminal();
    const code = await runCli(
      ['segment', csv, '--features', 'a,b', '--k', '4', '--n-init', '3', '--out', join(dir, 'seg.csv')],
      t.io,
    );
    expect(code, t.err()).toBe(0);
    const seen = drawn(t.err(), 'k-means');
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
    // the step starts at 10 %; the bar shows at least ten values in between before it ends at 100 %
    expect(seen[0]).toBe(10);
    expect(new Set(seen.filter((p) => p > 10 && p < 100)).size).toBeGreaterThanOrEqual(10);
    expect(seen.at(-1)).toBe(100);
  });
});
