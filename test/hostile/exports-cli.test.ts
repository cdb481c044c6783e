import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/cli-io';
import { Field, Schema, Table, Utf8, makeData, RecordBatch, Struct } from 'apache-arrow';
import { jsonRows } from '../../src/cli/json-rows';
import { runCli } from '../../src/cli/run-cli';
import { parseCsv } from './exports-payloads';

/**
 * The command line under hostile flags, values, paths and outputs (issue 15, classes 2 and 9), run in-process
 * through `runCli` with captured streams. Every failure must be one `clientele: …` line (plus a hint), an exit
 * status of 1 (bad input, a file that cannot be written) or 2 (usage), and no stack trace.
 */

interface Run {
  code: number;
  out: string;
  err: string;
}

async function cli(args: string[], stdout?: CliIo['stdout']): Promise<Run> {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    stdout: stdout ?? { write: (s: string) => ((out += s), true) },
    stderr: { write: (s: string) => ((err += s), true) },
  });
  return { code, out, err };
}

/** No stack trace, and every line of stderr is a `clientele:`/`error:` message, a hint or commander's help line. */
function clean(run: Run): void {
  expect(run.err).not.toMatch(/^\s+at /m);
  expect(run.err).not.toContain('internal error');
}

let dir: string;
let csv: string;
// customers whose ids are formulas; -2+3 has a net return (a negative amount: the rfm runs keep it, --returns keep)
const LOG =
  'customer,date,amount\n' +
  '"=HYPERLINK(""http://evil.example"",""x"")",2024-01-05,30\n' +
  '@SUM(1+1),2024-03-01,20\n' +
  '+cmd,2024-02-10,15\n' +
  '-2+3,2024-01-01,-10\n' +
  'plain,2024-02-01,40\n';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-exports-cli-'));
  csv = join(dir, 'tx.csv');
  writeFileSync(csv, LOG);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('class 2: the command line writes CSV that is safe to open in a spreadsheet', () => {
  it('class 2: rfm --out x.csv escapes formula-like customer ids by default and keeps negative monetary numbers', async () => {
    const out = join(dir, 'rfm.csv');
    const run = await cli(['rfm', csv, '--returns', 'keep', '--as-of', '2024-04-01', '--out', out]);
    expect(run.code, run.err).toBe(0);
    const rows = parseCsv(readFileSync(out, 'utf8'));
    const header = rows[0];
    const byId = new Map(rows.slice(1).map((r) => [r[0], r]));
    expect([...byId.keys()].sort()).toEqual(
      ["'+cmd", "'-2+3", '\'=HYPERLINK("http://evil.example","x")', "'@SUM(1+1)", 'plain'].sort(),
    );
    // monetary of -2+3 is the net return, -10, written as the number it is
    expect(byId.get("'-2+3")![header.indexOf('monetary')]).toBe('-10');
  });

  it('class 2: --no-escape-formulas writes the ids exactly', async () => {
    const out = join(dir, 'raw.csv');
    expect((await cli(['rfm', csv, '--returns', 'keep', '--out', out, '--no-escape-formulas'])).code).toBe(0);
    const ids = parseCsv(readFileSync(out, 'utf8'))
      .slice(1)
      .map((r) => r[0]);
    expect(ids.sort()).toEqual(['+cmd', '-2+3', '=HYPERLINK("http://evil.example","x")', '@SUM(1+1)', 'plain'].sort());
  });

  it('class 2: abc --out x.tsv is tab-delimited and escaped', async () => {
    const out = join(dir, 'abc.tsv');
    expect((await cli(['abc', csv, '--out', out])).code).toBe(0);
    const rows = parseCsv(readFileSync(out, 'utf8'), '\t');
    expect(rows[0]).toEqual(['key', 'value', 'share', 'cumulativeShare', 'rank', 'class']);
    expect(rows.slice(1).every((r) => r.length === 6)).toBe(true);
    expect(rows.slice(1).map((r) => r[0])).toContain("'@SUM(1+1)");
  });

  it('class 2: JSON on stdout is not a spreadsheet file: ids are exact JSON strings', async () => {
    const run = await cli(['abc', csv]);
    expect(run.code).toBe(0);
    const keys = (JSON.parse(run.out) as { key: string }[]).map((r) => r.key);
    expect(keys).toContain('=HYPERLINK("http://evil.example","x")');
  });

  it('class 2: csv --out with a .json extension is untouched by the escaping (JSON lines keep =)', async () => {
    const out = join(dir, 'abc.jsonl');
    expect((await cli(['abc', csv, '--out', out])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('"key":"@SUM(1+1)"');
  });
});

describe('class 2: text from the data cannot drive the terminal', () => {
  /** An OSC sequence that sets the terminal's title, and one that clears the screen. */
  const TITLE = '\u001b]0;pwned\u0007';
  const CLEAR = '\u001b[2J';

  it('class 2: a header with escape sequences is printed escaped in a missing-column error', async () => {
    const file = join(dir, 'esc.csv');
    writeFileSync(file, `who${TITLE}${CLEAR},date,amount\na,2024-01-01,1\n`);
    const run = await cli(['rfm', file]);
    expect(run.code).toBe(1);
    expect(run.err).not.toContain('\u001b');
    expect(run.err).not.toContain('\u0007');
    expect(run.err).toContain('who\\u001b]0;pwned\\u0007\\u001b[2J');
  });

  it('class 2: an unknown flag carrying an escape sequence is echoed escaped by the usage error', async () => {
    const run = await cli(['rfm', csv, `--x${CLEAR}`]);
    expect(run.code).toBe(2);
    expect(run.err).not.toContain('\u001b');
    expect(run.err).toContain('--x\\u001b[2J');
  });

  it('class 2: the progress bar on a terminal shows a file name’s escape sequences escaped', async () => {
    const file = join(dir, `tx${TITLE}.csv`);
    writeFileSync(file, LOG);
    let err = '';
    const code = await runCli(['abc', file], {
      stdout: { write: () => true },
      stderr: { write: (s: string) => ((err += s), true), isTTY: true, columns: 200 },
    });
    expect(code).toBe(0);
    expect(err).toContain('reading');
    expect(err).not.toContain(TITLE);
    expect(err).toContain('\\u001b]0;pwned\\u0007');
  });

  it('class 2: a column name with a line feed cannot split an error into two lines', async () => {
    const file = join(dir, 'lf.csv');
    writeFileSync(file, '"who\nclientele: all good",date,amount\na,2024-01-01,1\n');
    const run = await cli(['rfm', file]);
    expect(run.code).toBe(1);
    expect(run.err.split('\n')[0]).toContain('who\\nclientele: all good');
    expect(run.err.split('\n').filter((l) => l.startsWith('clientele:'))).toHaveLength(1);
  });
});

describe('class 9: the command line writes or says why not, on one line', () => {
  it('class 9: --out to a link to /dev/full is exit 1 and one line naming the path and ENOSPC', async () => {
    const link = join(dir, 'full.csv');
    if (!existsSync(link)) symlinkSync('/dev/full', link);
    const run = await cli(['rfm', csv, '--returns', 'keep', '--out', link]);
    expect(run.code).toBe(1);
    expect(run.err).toBe(
      `clientele: writeTable: cannot write ${JSON.stringify(link)} (found ENOSPC: no space left on the device); free some space, or write elsewhere\n`,
    );
  });

  it('class 9: --out naming a directory (x.csv/) is exit 1, IO_ERROR EISDIR, no stack', async () => {
    const folder = join(dir, 'folder.csv');
    mkdirSync(folder, { recursive: true });
    const run = await cli(['rfm', csv, '--returns', 'keep', '--out', folder]);
    expect(run.code).toBe(1);
    expect(run.err).toContain(`cannot write ${JSON.stringify(folder)} (found EISDIR`);
    clean(run);
  });

  it('class 9: --out into a missing folder is exit 1, ENOENT', async () => {
    const run = await cli(['abc', csv, '--returns', 'keep', '--out', join(dir, 'missing', 'x.parquet')]);
    expect(run.code).toBe(1);
    expect(run.err).toContain('(found ENOENT');
    expect(run.err.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('class 9: stdout refusing with ENOSPC is exit 1 and one line (was: an internal error)', async () => {
    const full: CliIo['stdout'] = {
      write: () => {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      },
    };
    const run = await cli(['rfm', csv, '--returns', 'keep'], full);
    expect(run.code).toBe(1);
    expect(run.err).toBe(
      'clientele: output: cannot write to stdout (found ENOSPC: no space left on the device); free some space, or write elsewhere\n',
    );
  });

  it('class 9: report --out into a missing folder is exit 1 naming the report path (was a bare fs message)', async () => {
    const path = join(dir, 'missing', 'r.html');
    const run = await cli(['report', csv, '--out', path]);
    expect(run.code).toBe(1);
    expect(run.err).toContain(`clientele: report: cannot write ${JSON.stringify(path)} (found ENOENT`);
  });

  it('class 9: an input path with spaces and unicode reads like any other', async () => {
    const odd = join(dir, 'ventes été 2024 .csv');
    writeFileSync(odd, LOG);
    const a = await cli(['abc', odd]);
    const b = await cli(['abc', csv]);
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
  });

  it('class 9: an --out path with a newline is written, and the note stays on one line', async () => {
    const out = join(dir, 'two\nlines.csv');
    const run = await cli(['abc', csv, '--returns', 'keep', '--out', out]);
    expect(run.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(run.err).toBe(`wrote 5 keys to ${JSON.stringify(out)}\n`);
  });

  it('class 9: an input that is a directory is exit 1, one line', async () => {
    const run = await cli(['rfm', dir]);
    expect(run.code).toBe(1);
    expect(run.err.split('\n').filter(Boolean)).toHaveLength(1);
    clean(run);
  });

  it.each([
    ['hexadecimal', '0x10'],
    ['binary', '0b11'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['negative', '-3'],
    ['huge', '1e308'],
    ['empty', ''],
    ['fraction', '4.5'],
  ])('class 9: --bins %s (%j) is a usage error naming the flag, exit 2', async (_what, value) => {
    const run = await cli(['rfm', csv, '--bins', value]);
    expect(run.code).toBe(2);
    expect(run.err).toContain(`option '--bins <n>' argument '${value}' is invalid`);
    clean(run);
  });

  it('class 9: --margin 0x1 (hexadecimal) is refused; 1e-1 is decimal and accepted', async () => {
    const hex = await cli(['clv', csv, '--margin', '0x1']);
    expect(hex.code).toBe(2);
    expect(hex.err).toContain("option '--margin <m>' argument '0x1' is invalid");
    const exp = await cli(['abc', csv, '--cutoffs', '8e-1,0.95']);
    expect(exp.code, exp.err).toBe(0);
  });

  it('class 9: an unknown flag gets commander’s did-you-mean, exit 2', async () => {
    const run = await cli(['rfm', csv, '--binz', '5']);
    expect(run.code).toBe(2);
    expect(run.err).toContain("unknown option '--binz'");
    expect(run.err).toContain('Did you mean --bins?');
  });

  it('class 9: an unknown command gets a did-you-mean, exit 2', async () => {
    const run = await cli(['rmf', csv]);
    expect(run.code).toBe(2);
    expect(run.err).toContain('Did you mean rfm?');
  });

  it('class 9: an empty column name is a usage error whose hint names the flag (--amount), not only { amount }', async () => {
    const run = await cli(['rfm', csv, '--amount', '']);
    expect(run.code).toBe(2);
    expect(run.err).toContain('--amount must name a column');
    expect(run.err).not.toContain('{ amount');
  });

  it('class 9: a library option out of range (report --k 60) gets a hint naming --k', async () => {
    const run = await cli(['report', csv, '--k', '60', '--out', join(dir, 'k.html')]);
    expect(run.code).toBe(2);
    expect(run.err).toContain('--k must be');
    expect(run.err).toContain('e.g. --k 4');
  });

  it('class 9: a missing --value column names --value in the hint', async () => {
    const run = await cli(['abc', csv, '--value', 'nope']);
    expect(run.code).toBe(1);
    expect(run.err).toContain('"nope"');
    expect(run.err).toContain('--value');
  });

  it('class 9: an empty --delimiter is a usage error, exit 2', async () => {
    const run = await cli(['rfm', csv, '--delimiter', '']);
    expect(run.code).toBe(2);
    expect(run.err).toContain("option '--delimiter <char>' argument '' is invalid");
  });

  it('class 9: an --out without a known extension is refused before any work, exit 2', async () => {
    const run = await cli(['rfm', csv, '--out', join(dir, 'no-extension')]);
    expect(run.code).toBe(2);
    expect(run.err).toContain('Expected a file name ending in .csv');
  });

  it('class 9: a result column named __proto__ or constructor keeps its value in the JSON rows (was dropped)', () => {
    const names = ['__proto__', 'constructor', 'toString'];
    const fields = names.map((n) => new Field(n, new Utf8(), true));
    const batch = new RecordBatch(
      new Schema(fields),
      makeData({
        type: new Struct(fields),
        length: 1,
        nullCount: 0,
        children: names.map((n) => makeData({ type: new Utf8(), length: 1, nullCount: 0, ...utf8(`v-${n}`) })),
      }),
    );
    const table = new Table([batch]);
    expect(table.schema.fields.map((f) => f.name)).toEqual(names);
    const rows = jsonRows(table);
    expect(JSON.parse(JSON.stringify(rows))).toEqual([
      JSON.parse('{"__proto__":"v-__proto__","constructor":"v-constructor","toString":"v-toString"}'),
    ]);
    expect(Object.keys(rows[0])).toEqual(names);
  });
});

/** The buffers of a one-value Utf8 column. */
function utf8(text: string): { valueOffsets: Int32Array; data: Uint8Array } {
  const data = new TextEncoder().encode(text);
  return { valueOffsets: Int32Array.from([0, data.length]), data };
}
