import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockDirectory, writeReadmeFixture } from './helpers/readme-fixtures';

/**
 * Every fenced code block of README.md, run as pasted against the built package.
 *
 * The contract a README example is written to:
 *
 * - Every fence has a language. ```ts, ```typescript, ```mts, ```js, ```javascript: the block is saved as
 *   `block-<line>.mts` (line = the README line of its opening fence), its types stripped by esbuild into
 *   `block-<line>.mjs` and run with `node` in a child process. It must be self-contained — its own imports from 'clientele' or 'clientele/<subpath>' (which resolve to
 *   this repository's `dist/`, through a `node_modules/clientele` link; `npm test` builds it when it is missing or older
 *   than src/; run alone, this test says so instead of building it), and it builds or reads everything it uses. Top-level `await` works. It
 *   passes when it exits with status 0 and its stderr holds no `Error` (warnings are fine). A block that imports an
 *   `npm:` specifier (`import … from 'npm:clientele'`) is Deno code: it runs with the repository's Deno
 *   (`deno run --no-remote --no-prompt --allow-read --allow-write=.`, beside a copy of `deno.json`, whose
 *   `"nodeModulesDir": "manual"` makes `npm:clientele` the same `node_modules/clientele` link).
 * - ```sh, ```bash, ```shell: every line (`\` continues a line) starting `npx clientele` is run, in order and in one
 *   directory, as `node <repo>/dist/cli.js …` through `sh -c` (so quotes, pipes and `# comments` work); each must
 *   exit 0. Lines that start with a command word of SKIPPED_COMMANDS below are not run here (the reason is given
 *   there); any other line fails the test, so that no README command goes unchecked by accident.
 * - ```text (output, messages, listings), ```yaml, ```json, ```csv (file contents): never run. An untagged fence
 *   fails: say `text` or the language.
 * - Every ```ts block also type-checks: all of them are compiled together by tsc (strict, `module: nodenext`; see
 *   TSCONFIG), each as its own module, so what a reader pastes into a TypeScript project compiles. Errors name the
 *   README line.
 * - A block that cannot run must be marked by `<!-- not run: <reason> -->` on the line before its fence. At most
 *   MAX_NOT_RUN blocks may be so marked; the test prints them with their reasons.
 * - The working directory (test/helpers/readme-fixtures.ts) holds `transactions.csv`, `transactions.arrow`,
 *   `transactions.parquet` (sampleStore({ customers: 2000, seed: 1 }).transactions: transaction, customer, date,
 *   amount, items), `basket-items.csv` (its basketItems: transaction, item), `survey.csv` (its survey) and the
 *   public datasets under their own names: `online_retail_sample.csv`, `CDNOW_master.txt`, `groceries.csv`,
 *   `retail.dat`, `satisfaction.csv`, `mobi.csv`. Each block runs in a directory of its own with links to those
 *   files, so the files a block writes are its own.
 *
 * Each block is one child process; two run at a time. There is no per-block time limit below vitest's 600 s backstop.
 * A failure names the README line, the command and the first lines of stderr.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const README = join(ROOT, 'README.md');
const CLI = join(ROOT, 'dist/cli.js');
const DENO = join(ROOT, 'node_modules/.bin/deno');

/** Command words of ```sh lines that this test does not run, and why. Anything else unknown fails. */
const SKIPPED_COMMANDS: readonly (readonly [prefix: string, reason: string])[] = [
  ['npm install', 'installs the package; CI (.ci/run) runs it on a fresh clone'],
  ['npm test', 'the test suite itself; CI runs it'],
  ['npm run', "the package's scripts (demo, build, test:deno, test:notebook, docs); CI runs them"],
  ['npx deno jupyter', 'registers a Jupyter kernel in the user profile; npm run test:notebook covers the notebook'],
  ['jupyter lab', 'starts an interactive server; npm run test:notebook executes the notebook headlessly'],
];

/**
 * The compiler options the ```ts blocks are checked with: a strict ESM project on Node (`lib` from the target). Deno
 * blocks (`npm:` imports) are left to Deno.
 */
const TSCONFIG = {
  target: 'es2022',
  module: 'nodenext',
  moduleResolution: 'nodenext',
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: ['node'],
};

/** How many blocks may be marked `<!-- not run: … -->`. Aim for none: a marked block is a block nobody checks. */
const MAX_NOT_RUN = 2;

const CODE_LANGUAGES = new Set(['ts', 'typescript', 'mts', 'js', 'javascript']);
const SHELL_LANGUAGES = new Set(['sh', 'bash', 'shell']);
const TEXT_LANGUAGES = new Set(['text', 'yaml', 'json', 'csv']);

interface Block {
  /** 1-based README line of the opening fence. */
  line: number;
  language: string;
  code: string;
  /** The reason of a `<!-- not run: … -->` mark on the line before the fence. */
  notRun?: string;
}

/** The fenced blocks of a Markdown text (``` fences, any indentation of up to three spaces). */
function fencedBlocks(markdown: string): { blocks: Block[]; unclosed?: number } {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,})\s*([^`\s]*)[^`]*$/.exec(lines[i]); // no backtick after a backtick fence
    if (!open) continue;
    const fence = open[1];
    let end = i + 1;
    while (end < lines.length && !new RegExp(`^ {0,3}${fence}\\s*$`).test(lines[end])) end++;
    if (end === lines.length) return { blocks, unclosed: i + 1 };
    let previous = i - 1;
    while (previous >= 0 && lines[previous].trim() === '') previous--;
    const mark = previous >= 0 ? /^\s*<!--\s*not run:\s*(.*?)\s*-->\s*$/.exec(lines[previous]) : null;
    blocks.push({
      line: i + 1,
      language: open[2].toLowerCase(),
      code: lines.slice(i + 1, end).join('\n'),
      notRun: mark ? mark[1] : undefined,
    });
    i = end;
  }
  return { blocks };
}

/**
 * Shell lines of a block, with `\`-continued lines joined; comments and blank lines left out. `offset` is the line
 * of the block (1 = the line after the fence) where the command starts.
 */
function shellLines(code: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  let pending = '';
  let start = 0;
  code.split('\n').forEach((raw, i) => {
    if (!pending) start = i + 1;
    const line = pending + raw;
    if (/\\\s*$/.test(line)) {
      pending = line.replace(/\\\s*$/, ' ');
      return;
    }
    pending = '';
    const trimmed = line.trim();
    if (trimmed && !trimmed.startsWith('#')) out.push({ text: trimmed, offset: start });
  });
  if (pending.trim()) out.push({ text: pending.trim(), offset: start });
  return out;
}

/** Deno code: a block that imports an `npm:` specifier. */
function isDeno(code: string): boolean {
  return /\bfrom\s+['"]npm:|\bimport\s*\(\s*['"]npm:/.test(code);
}

function skippedReason(line: string): string | undefined {
  for (const [prefix, reason] of SKIPPED_COMMANDS) {
    if (line === prefix || line.startsWith(`${prefix} `)) return reason;
  }
  return undefined;
}

/** The environment of a child: no vitest variables, no worker bundle of the sources (the build uses its own). */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  for (const key of Object.keys(env)) {
    if (key.startsWith('VITEST') || key === 'CLIENTELE_WORKER_BUNDLE' || key === 'NODE_OPTIONS' || key === 'TEST')
      delete env[key];
  }
  return env;
}

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** At most two children at a time (the machine's two cores). */
let running = 0;
const waiting: (() => void)[] = [];
async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= 2) await new Promise<void>((wake) => waiting.push(wake));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return slot(
    () =>
      new Promise<Run>((done, fail) => {
        const child = spawn(command, args, { cwd, env: { ...childEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        child.on('error', fail);
        child.on('close', (status, signal) => done({ status, signal, stdout, stderr }));
      }),
  );
}

/** The first lines of a child's stderr, for a failure message. */
function head(text: string, lines = 20): string {
  const all = text.trimEnd().split('\n');
  return all.slice(0, lines).join('\n') + (all.length > lines ? `\n… (${all.length - lines} more lines)` : '');
}

function failure(block: Block, command: string, r: Run, why: string): string {
  return (
    `README.md:${block.line} (\`\`\`${block.language} block): ${why}\n  command: ${command}\n` +
    `  exit status: ${r.status ?? `signal ${r.signal}`}\n  stderr:\n${head(r.stderr).replace(/^/gm, '    ')}`
  );
}

/**
 * Requires dist/ built from the current sources (`npm test` builds it first when stale, through scripts/prepare.mjs).
 * The test does not build it itself: tsup empties dist/ while it builds, and the other slow files read dist/ at the
 * same time.
 */
function requireFreshBuild(): void {
  const built = existsSync(join(ROOT, 'dist/index.js')) && existsSync(CLI) ? statSync(CLI).mtimeMs : -Infinity;
  const sources = [
    ...readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).map((f) => join(ROOT, 'src', f)),
    join(ROOT, 'package.json'),
    join(ROOT, 'tsup.config.ts'),
  ];
  const newer = sources.find((f) => statSync(f).mtimeMs > built);
  if (newer !== undefined)
    throw new Error(
      `readme-examples: dist/ is ${built === -Infinity ? 'missing' : `older than ${newer}`}; ` +
        'build it with `node scripts/prepare.mjs` (or `npx tsup`) first — `npm test` does',
    );
}

const { blocks, unclosed } = fencedBlocks(readFileSync(README, 'utf8'));
const notRun = blocks.filter((b) => b.notRun !== undefined);
const runnable = blocks.filter((b) => b.notRun === undefined);

let root: string;
let fixture: string;
let files: string[];

beforeAll(async () => {
  requireFreshBuild();
  root = mkdtempSync(join(tmpdir(), 'clientele-readme-'));
  fixture = join(root, 'fixture');
  files = await writeReadmeFixture(root, fixture, ROOT);
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('README.md code blocks', () => {
  it('every fence is closed and names a known language (ts/js to run, sh for commands, text/yaml/json/csv not run)', () => {
    expect(unclosed, `README.md:${unclosed}: a code fence is never closed`).toBeUndefined();
    expect(blocks.length).toBeGreaterThan(0);
    const known = (l: string) => CODE_LANGUAGES.has(l) || SHELL_LANGUAGES.has(l) || TEXT_LANGUAGES.has(l);
    const unknown = blocks.filter((b) => !known(b.language)).map((b) => `README.md:${b.line} "${b.language}"`);
    expect(
      unknown,
      'tag each fence ts, js, sh, or text / yaml / json / csv for what is not run (an untagged fence must say text)',
    ).toEqual([]);
  });

  it.concurrent(
    'every ```ts block type-checks as a module of a strict TypeScript project (tsc, nodenext)',
    async () => {
      const dir = join(root, 'typecheck');
      mkdirSync(dir);
      symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
      const checked = runnable.filter((b) => CODE_LANGUAGES.has(b.language) && !isDeno(b.code));
      for (const b of checked) writeFileSync(join(dir, `block-${b.line}.mts`), `${b.code}\nexport {};\n`);
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: TSCONFIG, include: ['*.mts'] }));
      const r = await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', '.'], dir);
      // block-<fence line>.mts(<row>,<col>) is README.md line fence + row
      const errors = r.stdout
        .split('\n')
        .filter((l) => /^block-\d+\.mts\(/.test(l))
        .map((l) => l.replace(/^block-(\d+)\.mts\((\d+),(\d+)\)/, (_, f, row, col) => `README.md:${+f + +row}:${col}`));
      expect(errors, errors.join('\n')).toEqual([]);
      expect(r.status, head(r.stdout + r.stderr)).toBe(0);
    },
  );

  it(`at most ${MAX_NOT_RUN} blocks are marked <!-- not run: reason -->, each with a reason`, () => {
    for (const b of notRun) console.log(`README.md:${b.line} not run: ${b.notRun}`);
    expect(notRun.filter((b) => !b.notRun).map((b) => b.line)).toEqual([]);
    expect(notRun.length, notRun.map((b) => `README.md:${b.line}: ${b.notRun}`).join('\n')).toBeLessThanOrEqual(
      MAX_NOT_RUN,
    );
  });

  const code = runnable.filter((b) => CODE_LANGUAGES.has(b.language));
  const shell = runnable.filter((b) => SHELL_LANGUAGES.has(b.language));

  it.concurrent.each(code.map((b) => [b.line, b] as const))(
    '```ts block at README.md:%i runs as pasted',
    async (_, b) => {
      const { command, r } = await runCodeBlock(b);
      expect(r.status, failure(b, command, r, 'exited with an error')).toBe(0);
      expect(r.stderr, failure(b, command, r, 'wrote an Error on stderr')).not.toMatch(/Error\b/);
    },
  );

  it.concurrent.each(shell.map((b) => [b.line, b] as const))(
    '```sh block at README.md:%i runs as pasted',
    async (_, b) => {
      const { problems, ran } = await runShellBlock(b);
      expect(problems, problems.join('\n\n')).toEqual([]);
      if (ran === 0) console.log(`README.md:${b.line}: no line run here (every line is a skipped command)`);
    },
  );
});

/** Runs a ts/js block in its own directory: Node on the block with its types stripped, or Deno for `npm:` imports. */
async function runCodeBlock(b: Block): Promise<{ command: string; r: Run }> {
  const name = `block-${b.line}`;
  const dir = blockDirectory(root, fixture, files, name);
  const file = `${name}.mts`;
  writeFileSync(join(dir, file), `${b.code}\n`);
  if (isDeno(b.code)) {
    copyFileSync(join(ROOT, 'deno.json'), join(dir, 'deno.json'));
    const args = ['run', '--no-remote', '--no-prompt', '--allow-read', '--allow-write=.', file];
    const env = { DENO_DIR: join(root, 'deno-dir'), DENO_NO_UPDATE_CHECK: '1' };
    return { command: `deno ${args.join(' ')}`, r: await run(DENO, args, dir, env) };
  }
  // types stripped by esbuild (what tsx would do, without its module hooks: a second of CPU less per block), the
  // stack traces mapped back to the block by the inline source map
  const js = `${name}.mjs`;
  const { code } = transformSync(b.code, {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    sourcefile: file,
  });
  writeFileSync(join(dir, js), code);
  return { command: `node ${js}`, r: await run(process.execPath, ['--enable-source-maps', js], dir) };
}

/** Runs the `npx clientele` lines of a sh block in order, in one directory; returns what went wrong. */
async function runShellBlock(b: Block): Promise<{ problems: string[]; ran: number }> {
  const dir = blockDirectory(root, fixture, files, `block-${b.line}`);
  const problems: string[] = [];
  let ran = 0;
  for (const { text: line, offset } of shellLines(b.code)) {
    const at: Block = { ...b, line: b.line + offset };
    if (skippedReason(line) !== undefined) continue;
    if (!/^npx clientele(\s|$)/.test(line)) {
      problems.push(
        `README.md:${at.line}: "${line}" is neither \`npx clientele …\` nor a skipped command ` +
          `(${SKIPPED_COMMANDS.map(([p]) => p).join(', ')}); add it to SKIPPED_COMMANDS with a reason, or run it`,
      );
      continue;
    }
    const command = line.replace(/^npx clientele/, `node ${JSON.stringify(CLI)}`);
    const r = await run('sh', ['-c', command], dir);
    ran++;
    if (r.status !== 0) problems.push(failure(at, line, r, 'exited with an error'));
  }
  return { problems, ran };
}

describe('the README runner itself (synthetic blocks, so that it can be seen to fail)', () => {
  it('finds fences with their language, line, code and not-run mark; reports an unclosed fence', () => {
    const markdown = [
      '```` ```sh ```` in prose is inline code, not a fence', // 1
      '```ts', // 2
      'const a = 1;', // 3
      '```', // 4
      '<!-- not run: needs a warehouse -->', // 5
      '', // 6
      '```sh', // 7
      'npx clientele rfm x.csv \\', // 8
      '  --segments   # scores', // 9
      '# a comment', // 10
      'npm run demo', // 11
      '```', // 12
      '````text', // 13
      '```', // 14
      '````', // 15
      '```', // 16
      'plain', // 17
      '```', // 18
    ].join('\n');
    const { blocks: found, unclosed: open } = fencedBlocks(markdown);
    expect(open).toBeUndefined();
    expect(found).toEqual([
      { line: 2, language: 'ts', code: 'const a = 1;', notRun: undefined },
      {
        line: 7,
        language: 'sh',
        code: 'npx clientele rfm x.csv \\\n  --segments   # scores\n# a comment\nnpm run demo',
        notRun: 'needs a warehouse',
      },
      { line: 13, language: 'text', code: '```', notRun: undefined },
      { line: 16, language: '', code: 'plain', notRun: undefined },
    ]);
    expect(shellLines(found[1].code)).toEqual([
      { text: 'npx clientele rfm x.csv    --segments   # scores', offset: 1 },
      { text: 'npm run demo', offset: 4 },
    ]);
    expect(skippedReason('npm run demo')).toBeDefined();
    expect(skippedReason('npm runner')).toBeUndefined();
    expect(skippedReason('npx clientele rfm x.csv')).toBeUndefined();
    expect(fencedBlocks('a\n```ts\nx\n').unclosed).toBe(2);
    expect(isDeno("import { rfm } from 'npm:clientele';")).toBe(true);
    expect(isDeno("import { rfm } from 'clientele'; // not npm:clientele")).toBe(false);
  });

  it("a block that throws fails; a block importing clientele gets this repository's dist/", async () => {
    const bad = await runCodeBlock({ line: -1, language: 'ts', code: "throw new Error('boom');" });
    expect(bad.r.status).not.toBe(0);
    expect(bad.r.stderr).toMatch(/Error\b.*boom/);
    const where = await runCodeBlock({
      line: -2,
      language: 'ts',
      code: "import { fileURLToPath } from 'node:url';\nconsole.log(fileURLToPath(import.meta.resolve('clientele')));",
    });
    expect(where.r.stderr).toBe('');
    expect(where.r.stdout.trim()).toBe(realpathSync(join(ROOT, 'dist/index.js')));
  });

  it('a sh block runs `npx clientele` lines on the built CLI, skips the listed commands and refuses others', async () => {
    let next = -3;
    const sh = (code: string) => runShellBlock({ line: next--, language: 'sh', code });
    const ok = await sh(
      'npm install\nnpx clientele rfm transactions.csv --out rfm.csv\nnpx clientele abc rfm.csv --by customer --value monetary',
    );
    expect(ok).toEqual({ problems: [], ran: 2 });
    const bad = await sh('npx clientele rfm missing.csv\ncurl https://example.com');
    expect(bad.ran).toBe(1);
    expect(bad.problems).toHaveLength(2);
    expect(bad.problems[0]).toMatch(/^README\.md:-3 \(```sh block\): exited[\s\S]*exit status: 1[\s\S]*missing\.csv/);
    expect(bad.problems[1]).toMatch(/^README\.md:-2: "curl https:\/\/example\.com" is neither/);
  });
});
