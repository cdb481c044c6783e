import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockRecord, parseModelFile, parseYamlSubset } from '../../src/cli/model-file';
import { runCli } from '../../src/cli/run-cli';
import { ClienteleError } from '../../src/table/errors';

const WHERE = 'csi: model file "m.yaml"';

/** The message of what `f` throws, or '' when it does not throw. */
function thrown(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ClienteleError);
    expect((e as ClienteleError).code).toBe('INVALID_INPUT');
    return (e as Error).message;
  }
  return '';
}

describe('the YAML subset of a model file', () => {
  it('reads block mappings, flow and block sequences (also at the key’s indentation), quotes and comments', () => {
    const text = [
      '# a comment line',
      'blocks:',
      '  IMAG: [imag1, "imag 2", \'imag#3\']   # trailing comment',
      '  SAT:',
      '    - sat1',
      '    - sat2',
      'paths:',
      '- [IMAG, SAT]',
      '- [ SAT , LOY ]',
      'modes:',
      '  IMAG: B',
      'optional: []',
    ].join('\n');
    expect(parseYamlSubset(text, WHERE)).toEqual({
      blocks: { IMAG: ['imag1', 'imag 2', 'imag#3'], SAT: ['sat1', 'sat2'] },
      paths: [
        ['IMAG', 'SAT'],
        ['SAT', 'LOY'],
      ],
      modes: { IMAG: 'B' },
      optional: [],
    });
  });

  it('every scalar is text: 1 is the column "1", true is "true"', () => {
    expect(parseYamlSubset('a: [1, true, 2.50]', WHERE)).toEqual({ a: ['1', 'true', '2.50'] });
  });

  it('property: a model written as YAML reads the same as the same model written as JSON', () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,7}$/);
    fc.assert(
      fc.property(
        fc.dictionary(name, fc.array(name, { minLength: 1, maxLength: 4 }), { minKeys: 1, maxKeys: 5 }),
        fc.array(fc.tuple(name, name), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        (blocks, paths, flow) => {
          const lines = ['blocks:'];
          for (const [lv, cols] of Object.entries(blocks)) {
            if (flow) lines.push(`  ${lv}: [${cols.join(', ')}]`);
            else lines.push(`  ${lv}:`, ...cols.map((c) => `    - ${c}`));
          }
          lines.push('paths:', ...paths.map(([f, t]) => `  - [${f}, ${t}]`));
          const yaml = parseModelFile(lines.join('\n'), 'm.yaml', 'csi');
          const json = parseModelFile(JSON.stringify({ blocks, paths }), 'm.json', 'csi');
          expect(JSON.stringify(yaml)).toBe(JSON.stringify(json));
        },
      ),
    );
  });

  it.each([
    ['a flow mapping', 'blocks: { IMAG: [a] }', 1, 'unsupported YAML syntax'],
    ['an anchor', 'blocks:\n  IMAG: &x [a]', 2, 'unsupported YAML syntax'],
    ['a block scalar', 'blocks: |\n  text', 1, 'unsupported YAML syntax'],
    ['a tab in the indentation', 'blocks:\n\tIMAG: [a]', 2, 'a tab in the indentation'],
    ['a key twice', 'paths: []\npaths: []', 2, 'the key "paths" appears twice'],
    ['a mapping in a sequence item', 'paths:\n  - from: A', 2, 'a mapping inside a sequence item'],
    ['an unclosed quote', "blocks:\n  IMAG: ['a, b]", 2, 'an unclosed'],
    ['an unclosed bracket', 'paths: [[A, B]', 1, 'expected , or ]'],
    ['a second document', 'paths: []\n---\npaths: []', 2, 'a second document'],
    ['a key without a value', 'blocks:\npaths: []', 1, 'has no value'],
    ['a bad indentation', 'blocks:\n    IMAG: [a]\n  SAT: [b]', 3, 'unexpected indentation'],
  ])('%s is an error naming its line', (_what, text, line, words) => {
    const message = thrown(() => parseYamlSubset(text, WHERE));
    expect(message).toContain(`${WHERE}, line ${line}: `);
    expect(message).toContain(words);
    expect(message).toContain('or write it as JSON');
  });
});

describe('the shape of a model file', () => {
  const ok = { blocks: { A: ['a1'], B: ['b1'] }, paths: [['A', 'B']] };

  it('a JSON model keeps blocks, paths, modes and optional', () => {
    const spec = parseModelFile(JSON.stringify({ ...ok, modes: { A: 'B' }, optional: ['B'] }), 'm.json', 'csi');
    expect(spec.blocks.A).toEqual(['a1']);
    expect(spec.paths).toEqual([['A', 'B']]);
    expect(spec.modes?.A).toBe('B');
    expect(spec.optional).toEqual(['B']);
  });

  it.each([
    ['invalid JSON', '{ "blocks": ', 'm.json', 'is not valid JSON'],
    ['an unknown key', JSON.stringify({ ...ok, scheme: 'path' }), 'm.json', 'unknown key "scheme"'],
    ['blocks not a mapping', JSON.stringify({ blocks: [], paths: [] }), 'm.json', 'blocks must map'],
    ['an empty block', JSON.stringify({ blocks: { A: [] }, paths: [] }), 'm.json', 'block A must be a non-empty list'],
    ['a path of three', JSON.stringify({ ...ok, paths: [['A', 'B', 'C']] }), 'm.json', 'pairs'],
    ['a mode C', JSON.stringify({ ...ok, modes: { A: 'C' } }), 'm.json', 'A (reflective) or B (formative)'],
    ['a YAML list at the top', '- a\n- b', 'm.yaml', 'must be a mapping'],
  ])('%s is INVALID_INPUT naming the file', (_what, text, path, words) => {
    const message = thrown(() => parseModelFile(text, path, 'csi'));
    expect(message).toContain(`csi: model file "${path}"`);
    expect(message).toContain(words);
  });

  it('a construct named __proto__ or constructor is kept as a key, not a prototype', () => {
    const spec = parseModelFile(
      'blocks:\n  __proto__: [a]\n  constructor: [b]\npaths:\n  - [__proto__, constructor]',
      'm.yaml',
      'csi',
    );
    expect(Object.keys(spec.blocks)).toEqual(['__proto__', 'constructor']);
    expect(blockRecord({ ['__proto__']: ['x'] })).toBeDefined();
  });
});

describe('csi --model on the command line', () => {
  async function cli(args: string[]): Promise<{ code: number; err: string }> {
    let err = '';
    const code = await runCli(args, {
      stdout: { write: () => true },
      stderr: { write: (s: string) => ((err += s), true) },
    });
    return { code, err };
  }

  it('a model that is neither a preset nor a .json/.yaml file is a usage error (exit 2) naming the choices', async () => {
    const run = await cli(['csi', 'survey.csv', '--model', 'scsb']);
    expect(run.code).toBe(2);
    expect(run.err).toContain('--model must be acsi, ecsi or a model file ending in .json, .yaml or .yml');
  });

  it('a model file that cannot be read is IO_ERROR (exit 1) naming the file, before the survey is read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clientele-model-'));
    try {
      const run = await cli(['csi', join(dir, 'no-survey.csv'), '--model', join(dir, 'none.yaml')]);
      expect(run.code).toBe(1);
      expect(run.err).toContain('csi: cannot read the model file');
      expect(run.err).toContain('none.yaml');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a model file with a YAML error stops with its line number (exit 1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clientele-model-'));
    try {
      const file = join(dir, 'bad.yaml');
      writeFileSync(file, 'blocks:\n  A: [a1]\n  B: &anchor [b1]\npaths:\n  - [A, B]\n');
      writeFileSync(join(dir, 's.csv'), 'a1,b1\n1,2\n2,1\n3,3\n');
      const run = await cli(['csi', join(dir, 's.csv'), '--model', file]);
      expect(run.code).toBe(1);
      expect(run.err).toContain('line 3: unsupported YAML syntax');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
