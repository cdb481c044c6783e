import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The built `clientele` binary (dist/cli.js; `npx tsup` builds it) when its output cannot be written (issue 15,
 * class 9): stdout on a full device, a closed pipe, `--out` on a full device. Each must end with one line on stderr
 * and the right exit status, never a stack trace.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'dist/cli.js');

let dir: string;
let csv: string;

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npx tsup first`);
  dir = mkdtempSync(join(tmpdir(), 'clientele-exports-bin-'));
  csv = join(dir, 'tx.csv');
  const lines = ['customer,date,amount'];
  for (let i = 0; i < 3000; i++)
    lines.push(`${i % 7 === 0 ? '=' : ''}c${i},2024-0${1 + (i % 9)}-1${i % 10},${(i % 13) + 1}`);
  writeFileSync(csv, `${lines.join('\n')}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the binary with stdout sent to `stdout` (a file descriptor) and stderr captured. */
function run(args: string[], stdout: number | 'pipe' = 'pipe') {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', stdout, 'pipe'],
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr };
}

describe('class 9: the binary when its output cannot be written', () => {
  it('class 9: stdout on /dev/full is exit 1 and one line naming stdout and ENOSPC, no stack (was a raw stack)', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = run(['rfm', csv], full);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(
        'clientele: output: cannot write to stdout (found ENOSPC: no space left on the device); free some space, or write elsewhere\n',
      );
    } finally {
      closeSync(full);
    }
  });

  it('class 9: a reader that closes the pipe early (| head) ends the run quietly with exit 0', async () => {
    const child = spawn(process.execPath, [CLI, 'rfm', csv], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const status = await new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    expect(status).toBe(0);
    expect(stderr).toBe('');
  });

  it('class 9: --out on a link to /dev/full is exit 1 and one line naming the path and ENOSPC', () => {
    const link = join(dir, 'full.csv');
    symlinkSync('/dev/full', link);
    const r = run(['abc', csv, '--out', link]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `clientele: writeTable: cannot write ${JSON.stringify(link)} (found ENOSPC: no space left on the device); free some space, or write elsewhere\n`,
    );
  });

  it('class 9: report --out on a link to /dev/full is exit 1 and one line naming the report path', () => {
    const link = join(dir, 'full.html');
    symlinkSync('/dev/full', link);
    const r = run(['--quiet', 'report', csv, '--out', link]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `clientele: report: cannot write ${JSON.stringify(link)} (found ENOSPC: no space left on the device); free some space, or write elsewhere\n`,
    );
  });

  it('class 9: an unknown flag is exit 2 with a did-you-mean, no stack', () => {
    const r = run(['rfm', csv, '--as-off', '2024-01-01']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown option '--as-off'");
    expect(r.stderr).toContain('Did you mean --as-of?');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('class 2: the binary’s CSV --out escapes formula ids by default', () => {
    const out = join(dir, 'abc.csv');
    const r = run(['abc', csv, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n').slice(1);
    const formulaIds = lines.filter((l) => l.startsWith('"\'='));
    // 3000 / 7 rounded up: every seventh customer's id starts with =
    expect(formulaIds.length).toBe(Math.ceil(3000 / 7));
    expect(lines.some((l) => /^[=+@-]/.test(l))).toBe(false);
  });
});
