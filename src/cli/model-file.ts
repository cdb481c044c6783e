import { readFile } from 'node:fs/promises';
import type { SurveyModelName, SurveyModelSpec } from '../satisfaction/index';
import { UsageError } from './usage-error';
import { ClienteleError, ioError } from '../table/internal';
import { hasOwnKey, nullRecord } from '../table/internal';

/**
 * The model file of `--model <file>`: a path model of your own as JSON or as a small subset of YAML.
 *
 * ```yaml
 * # a reduced ECSI model on R plspm's satisfaction data
 * blocks:
 *   IMAG: [imag1, imag2, imag3]
 *   SAT: [sat1, sat2, sat3]
 *   LOY:
 *     - loy1
 *     - loy2
 * paths:
 *   - [IMAG, SAT]
 *   - [SAT, LOY]
 * modes:
 *   IMAG: A
 * ```
 *
 * Keys: `blocks` (construct → list of columns), `paths` (list of `[from, to]`), `modes` (construct → `A` or `B`,
 * optional), `optional` (constructs that may be missing, optional). A file ending in `.json` is JSON; `.yaml` /
 * `.yml` is read by {@link parseYamlSubset}; any other name is JSON when its first character is `{`.
 */
async function readModelFile(path: string, fn: string): Promise<SurveyModelSpec> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw ioError(fn, 'read the model file', path, e);
  }
  return parseModelFile(text, path, fn);
}

/** `--model` of `csi` and `report`: a preset name, or a model file read and checked. */
export async function modelOption(value: string, command = 'csi'): Promise<SurveyModelName | SurveyModelSpec> {
  const lower = value.toLowerCase();
  if (lower === 'acsi' || lower === 'ecsi') return lower;
  if (!/\.(json|ya?ml)$/i.test(value)) {
    throw new UsageError(
      `${command}: --model must be acsi, ecsi or a model file ending in .json, .yaml or .yml (found ${JSON.stringify(value)})`,
    );
  }
  return readModelFile(value, command);
}

/** `--block` as a null-prototype record (a block may be named `constructor` or `__proto__`). */
export function blockRecord(given: Record<string, string[]> | undefined): Record<string, string[]> | undefined {
  if (given === undefined) return undefined;
  const out: Record<string, string[]> = nullRecord();
  for (const name of Object.keys(given)) out[name] = given[name];
  return out;
}

/** A model file's text as a model: JSON or the YAML subset (by the name's extension), then its shape checked. */
export function parseModelFile(text: string, path: string, fn: string): SurveyModelSpec {
  const where = `${fn}: model file ${JSON.stringify(path)}`;
  const json = /\.json$/i.test(path) || (!/\.ya?ml$/i.test(path) && text.trimStart().startsWith('{'));
  let doc: unknown;
  if (json) {
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new ClienteleError(
        'INVALID_INPUT',
        `${where} is not valid JSON (found ${(e as Error).message}); write it as { "blocks": { … }, "paths": [[…]] } or as YAML with a .yaml name`,
      );
    }
  } else doc = parseYamlSubset(text, where);
  return modelSpec(doc, where);
}

/** The keys a model file may hold. */
const MODEL_KEYS = ['blocks', 'paths', 'modes', 'optional'];

/** Checks the shape of a parsed model file and copies it into null-prototype records. */
function modelSpec(doc: unknown, where: string): SurveyModelSpec {
  const bad = (what: string, found: unknown): ClienteleError =>
    new ClienteleError('INVALID_INPUT', `${where}: ${what} (found ${JSON.stringify(found) ?? String(found)})`);
  if (!isMapping(doc)) throw bad('the file must be a mapping with the keys blocks and paths', doc);
  for (const key of Object.keys(doc)) {
    if (!MODEL_KEYS.includes(key)) throw bad(`unknown key "${key}"; the keys are ${MODEL_KEYS.join(', ')}`, key);
  }
  const blocks = doc.blocks;
  if (!isMapping(blocks)) throw bad('blocks must map each construct to a list of its columns', blocks);
  const outBlocks: Record<string, readonly string[]> = nullRecord();
  for (const lv of Object.keys(blocks)) {
    const columns = blocks[lv];
    if (!isStringList(columns) || columns.length === 0)
      throw bad(
        `block ${lv} must be a non-empty list of column names, e.g. [${lv.toLowerCase()}1, ${lv.toLowerCase()}2]`,
        columns,
      );
    outBlocks[lv] = columns;
  }
  const paths = doc.paths;
  if (!Array.isArray(paths) || !paths.every((p) => isStringList(p) && p.length === 2))
    throw bad('paths must be a list of [from, to] pairs of constructs', paths);
  const spec: { -readonly [K in keyof SurveyModelSpec]: SurveyModelSpec[K] } = {
    blocks: outBlocks,
    paths: paths.map((p) => [p[0], p[1]] as const),
  };
  if (doc.modes !== undefined) {
    const modes = doc.modes;
    if (!isMapping(modes) || !Object.values(modes).every((m) => m === 'A' || m === 'B'))
      throw bad('modes must map constructs to A (reflective) or B (formative)', modes);
    const out: Record<string, 'A' | 'B'> = nullRecord();
    for (const lv of Object.keys(modes)) out[lv] = modes[lv] as 'A' | 'B';
    spec.modes = out;
  }
  if (doc.optional !== undefined) {
    if (!isStringList(doc.optional)) throw bad('optional must be a list of constructs', doc.optional);
    spec.optional = doc.optional;
  }
  return spec;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string' && v !== '');
}

/** One meaningful line of a YAML text: its 1-based number, indentation and content without the comment. */
interface YamlLine {
  readonly line: number;
  readonly indent: number;
  readonly text: string;
}

type YamlValue = string | YamlValue[] | { [key: string]: YamlValue };

/**
 * Parses the small subset of YAML a model file needs, without a YAML dependency: block mappings (`key: value`,
 * nested by indentation with spaces), block sequences (`- item`, also at the indentation of their key), flow
 * sequences (`[a, b]`, nested: `[[a, b], [c, d]]`), plain, 'single-quoted' and "double-quoted" scalars, and `#`
 * comments. Every scalar is text (`1` is the column name "1"). Anything else — flow mappings `{…}`, anchors,
 * aliases, tags, multi-line strings, several documents, tabs in indentation — is an error naming its line.
 */
export function parseYamlSubset(text: string, where: string): YamlValue {
  const lines = yamlLines(text, where);
  if (lines.length === 0) throw new ClienteleError('INVALID_INPUT', `${where} is empty; write blocks: and paths:`);
  const state = { at: 0 };
  const value = parseBlock(lines, state, lines[0].indent, where);
  if (state.at < lines.length) {
    const l = lines[state.at];
    throw yamlError(where, l.line, `unexpected indentation or content "${l.text}"`);
  }
  return value;
}

function yamlError(where: string, line: number, what: string): ClienteleError {
  return new ClienteleError(
    'INVALID_INPUT',
    `${where}, line ${line}: ${what}; the model file supports YAML mappings (key: value), sequences ([a, b] or - item), plain or quoted text and # comments, or write it as JSON`,
  );
}

/** The non-blank lines of `text` without comments, with their indentation. */
function yamlLines(text: string, where: string): YamlLine[] {
  const out: YamlLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const content = stripComment(raw, where, line);
    if (content.trim() === '') return;
    if (i === 0 && content.trim() === '---') return;
    const indent = /^ */.exec(content)![0].length;
    if (content[indent] === '\t') throw yamlError(where, line, 'a tab in the indentation (indent with spaces)');
    if (/^(---|\.\.\.)\s*$/.test(content.trim())) throw yamlError(where, line, 'a second document');
    out.push({ line, indent, text: content.trim() });
  });
  return out;
}

/** `raw` up to a `#` that starts a comment (at the line start or after a space, outside quotes). */
function stripComment(raw: string, where: string, line: number): string {
  let quote = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(raw[i - 1]))) return raw.slice(0, i).trimEnd();
  }
  if (quote) throw yamlError(where, line, `an unclosed ${quote} quote`);
  return raw.trimEnd();
}

/** A block mapping or block sequence whose lines are at `indent`. */
function parseBlock(lines: YamlLine[], state: { at: number }, indent: number, where: string): YamlValue {
  const first = lines[state.at];
  return first.text === '-' || first.text.startsWith('- ')
    ? parseSequence(lines, state, indent, where)
    : parseMapping(lines, state, indent, where);
}

function parseSequence(lines: YamlLine[], state: { at: number }, indent: number, where: string): YamlValue[] {
  const out: YamlValue[] = [];
  while (state.at < lines.length && lines[state.at].indent === indent) {
    const l = lines[state.at];
    if (!(l.text === '-' || l.text.startsWith('- '))) break;
    const rest = l.text.slice(1).trim();
    state.at++;
    if (rest === '') out.push(nested(lines, state, indent, l, where));
    else {
      if (mappingEntry(rest) !== null)
        throw yamlError(where, l.line, 'a mapping inside a sequence item (write the item as [a, b] or text)');
      out.push(parseInline(rest, where, l.line));
    }
  }
  return out;
}

function parseMapping(
  lines: YamlLine[],
  state: { at: number },
  indent: number,
  where: string,
): { [key: string]: YamlValue } {
  const out: { [key: string]: YamlValue } = nullRecord();
  while (state.at < lines.length && lines[state.at].indent === indent) {
    const l = lines[state.at];
    if (l.text === '-' || l.text.startsWith('- ')) break;
    const entry = mappingEntry(l.text);
    if (entry === null) throw yamlError(where, l.line, `expected key: value (found "${l.text}")`);
    const [key, rest] = entry;
    if (hasOwnKey(out, key)) throw yamlError(where, l.line, `the key "${key}" appears twice`);
    state.at++;
    if (rest !== '') out[key] = parseInline(rest, where, l.line);
    else {
      const next = lines[state.at];
      // a block sequence may sit at its key's indentation
      const sequenceHere =
        next !== undefined && next.indent === indent && (next.text === '-' || next.text.startsWith('- '));
      out[key] = sequenceHere ? parseSequence(lines, state, indent, where) : nested(lines, state, indent, l, where);
    }
  }
  return out;
}

/** The block under a key or a `-` with nothing after it: the following lines indented deeper. */
function nested(lines: YamlLine[], state: { at: number }, indent: number, owner: YamlLine, where: string): YamlValue {
  const next = lines[state.at];
  if (next === undefined || next.indent <= indent)
    throw yamlError(where, owner.line, `"${owner.text}" has no value (write it on the same line or indented below)`);
  return parseBlock(lines, state, next.indent, where);
}

/** `key: rest` (key plain or quoted), or null when the text is not a mapping entry. */
function mappingEntry(text: string): [string, string] | null {
  const quoted = /^(?:"([^"]*)"|'([^']*)')\s*:(?:\s+(.*))?$/.exec(text);
  if (quoted) return [quoted[1] ?? quoted[2], (quoted[3] ?? '').trim()];
  const plain = /^([^\s[\]{}"'#,:][^:]*?)\s*:(?:\s+(.*))?$/.exec(text);
  return plain ? [plain[1], (plain[2] ?? '').trim()] : null;
}

/** A scalar or a flow sequence on one line. */
function parseInline(text: string, where: string, line: number): YamlValue {
  if (text.startsWith('[')) {
    const state = { at: 0 };
    const value = flowSequence(text, state, where, line);
    if (text.slice(state.at).trim() !== '') throw yamlError(where, line, `text after the closing ] ("${text}")`);
    return value;
  }
  return scalar(text, where, line);
}

function scalar(text: string, where: string, line: number): string {
  const t = text.trim();
  if (t === '') throw yamlError(where, line, 'an empty value');
  if (/^"[^"]*"$/.test(t) || /^'[^']*'$/.test(t)) return t.slice(1, -1);
  if (/^[{&*!|>%@`]/.test(t)) throw yamlError(where, line, `unsupported YAML syntax "${t}"`);
  if (/:\s|:$/.test(t)) throw yamlError(where, line, `a key: value where a single value belongs ("${t}")`);
  return t;
}

/** `[a, b, [c, d]]` from `state.at` (at the `[`), leaving `state.at` after the closing `]`. */
function flowSequence(text: string, state: { at: number }, where: string, line: number): YamlValue[] {
  const out: YamlValue[] = [];
  state.at++; // past '['
  const skip = () => {
    while (text[state.at] === ' ') state.at++;
  };
  skip();
  if (text[state.at] === ']') {
    state.at++;
    return out;
  }
  for (;;) {
    skip();
    if (text[state.at] === '[') out.push(flowSequence(text, state, where, line));
    else {
      const start = state.at;
      const quote = text[start] === '"' || text[start] === "'" ? text[start] : '';
      if (quote) {
        const end = text.indexOf(quote, start + 1);
        if (end < 0) throw yamlError(where, line, `an unclosed ${quote} quote`);
        state.at = end + 1;
      } else while (state.at < text.length && text[state.at] !== ',' && text[state.at] !== ']') state.at++;
      out.push(scalar(text.slice(start, state.at), where, line));
    }
    skip();
    const c = text[state.at];
    state.at++;
    if (c === ']') return out;
    if (c !== ',') throw yamlError(where, line, `expected , or ] in "${text}"`);
  }
}
