import type { Command } from 'commander';

/**
 * Library messages in the words of the command line. A `ClienteleError` names the library's options
 * (`option minSupport`, `pass … as { amount: '…' }`, `surveyBlocks: { quality: […] }`); on the command line the
 * reader sets flags, so the message that reaches the terminal names the flags instead (`--min-support`,
 * `--amount …`, `--block quality=…`). This file is the one place that knows how library options become flags:
 * every option of the command by its attribute name (`minSupport` → `--min-support`), the column options, and the
 * options a command sets under another name.
 */

/** The flag of each library column option; every command that has the flag uses it for that option. */
const COLUMN_FLAGS: Readonly<Record<string, string>> = {
  customer: '--customer',
  date: '--date',
  amount: '--amount',
  transaction: '--transaction',
  item: '--item',
  value: '--value',
  key: '--customer',
};

/** Library options a command sets with a flag of another name, by command. */
const RENAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  abc: { key: '--customer', value: '--value' },
  csi: { blocks: '--block', model: '--model', key: '--customer' },
  report: {
    surveyBlocks: '--block',
    surveyModel: '--model',
    surveyScale: '--survey-scale',
    basketItems: '--baskets',
  },
  rules: { minSupport: '--min-support', minConfidence: '--min-confidence', maxLength: '--max-length' },
};

/** Flags whose value is `name=columns` (one per construct): an object option is written one flag per entry. */
const MAPPING_FLAGS: ReadonlySet<string> = new Set(['--block']);

/**
 * The flag of every library option a message of command `name` may name: the command's own long flags by attribute
 * name, its renames, and the column flags it has.
 */
export function commandFlags(program: Command, argv: readonly string[]): ReadonlyMap<string, string> {
  const name = argv.find((a) => !a.startsWith('-'));
  const cmd = program.commands.find((c) => c.name() === name);
  if (!cmd) return new Map<string, string>();
  const flags = new Map(flagsOf(cmd));
  // abc's key column is --item when it classifies items
  const by = argv.indexOf('--by');
  if (cmd.name() === 'abc' && (argv[by + 1] === 'item' || argv.includes('--by=item'))) flags.set('key', '--item');
  return flags;
}

/** The flag of every library option a message of the command `cmd` may name (see {@link commandFlags}). */
export function flagsOf(cmd: Command): ReadonlyMap<string, string> {
  const flags = new Map<string, string>();
  const longs = new Set<string>();
  for (const option of cmd.options) {
    if (option.long && !option.negate) {
      flags.set(option.attributeName(), option.long);
      longs.add(option.long);
    }
  }
  for (const [option, flag] of Object.entries(COLUMN_FLAGS)) {
    if (!flags.has(option) && longs.has(flag)) flags.set(option, flag);
  }
  const renames = Object.prototype.hasOwnProperty.call(RENAMES, cmd.name()) ? RENAMES[cmd.name()] : {};
  for (const [option, flag] of Object.entries(renames)) flags.set(option, flag);
  return flags;
}

/** A value written in a message as a literal, in the form a flag takes it: `'a'` → a, `['a', 'b']` → a,b. */
function flagValue(literal: string): string {
  const text = literal.trim();
  if (/^(['"]).*\1$/s.test(text)) return text.slice(1, -1);
  if (text.startsWith('[') && text.endsWith(']')) {
    const items = splitTopLevel(text.slice(1, -1)).map(flagValue);
    return items.some((i) => i === '...' || i === '…')
      ? `${items.filter((i) => i !== '...' && i !== '…').join(',')}…`
      : items.join(',');
  }
  return text === '...' ? '…' : text;
}

/** Splits `a, [b, c], { d: e }` at the commas outside brackets, braces and quotes. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '[' || c === '{' || c === '(') depth++;
    else if (c === ']' || c === '}' || c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** The entries `key: value` of an object literal's body, or null when one is not of that form. */
function entries(body: string): [string, string][] | null {
  const out: [string, string][] = [];
  for (const part of splitTopLevel(body)) {
    if (part === '…' || part === '...') continue;
    const m = /^['"]?([\w.$-]+)['"]?\s*:\s*([\s\S]+)$/.exec(part);
    if (!m) return null;
    out.push([m[1], m[2]]);
  }
  return out;
}

/**
 * An object literal (`{ … }` body) as flags, or null when a key has no flag: `{ amount: 'x' }` → `--amount x`;
 * under a mapping flag (`mapping` = `--block`), `{ quality: ['q1', 'q2'] }` → `--block quality=q1,q2`.
 */
function objectAsFlags(body: string, flags: ReadonlyMap<string, string>, mapping?: string): string | null {
  const list = entries(body);
  if (list === null || list.length === 0) return null;
  if (mapping !== undefined) return list.map(([k, v]) => `${mapping} ${k}=${flagValue(v)}`).join(' ');
  const out: string[] = [];
  for (const [key, value] of list) {
    const flag = flags.get(key);
    if (flag === undefined) return null;
    const v = value.trim();
    if (v.startsWith('{') && MAPPING_FLAGS.has(flag)) {
      const inner = objectAsFlags(v.slice(1, -1), flags, flag);
      if (inner === null) return null;
      out.push(inner);
    } else out.push(`${flag} ${flagValue(v)}`);
  }
  return out.join(' ');
}

/** The index of the `}` that closes the `{` at `open`, or -1. */
function closing(text: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

/** Every object literal of `message` (optionally after `name: `) rewritten as flags where all its keys have one. */
function rewriteObjects(message: string, flags: ReadonlyMap<string, string>): string {
  let out = '';
  let at = 0;
  for (;;) {
    const open = message.indexOf('{', at);
    if (open < 0) return out + message.slice(at);
    const close = closing(message, open);
    if (close < 0) return out + message.slice(at);
    const before = message.slice(at, open);
    const body = message.slice(open + 1, close);
    // `surveyBlocks: { … }` / `blocks: { … }`: the object is the value of one option
    const owner = /([A-Za-z]\w*):\s*$/.exec(before);
    const ownerFlag = owner ? flags.get(owner[1]) : undefined;
    let replaced: string | null = null;
    if (owner && ownerFlag !== undefined) {
      replaced = MAPPING_FLAGS.has(ownerFlag)
        ? objectAsFlags(body, flags, ownerFlag)
        : objectAsFlags(`${owner[1]}: {${body}}`, flags);
    }
    if (replaced !== null && owner) out += before.slice(0, before.length - owner[0].length) + replaced;
    else {
      const plain = objectAsFlags(body, flags);
      out += before + (plain ?? message.slice(open, close + 1));
    }
    at = close + 1;
  }
}

/**
 * `message` in the words of the command line: object literals of options become flags, `option name` and
 * `option name.part` become the flag, `name: value` and bare mentions of a camelCase option become `--flag value`
 * and `--flag`. Names without a flag on this command stay as they are.
 */
export function cliMessage(message: string, flags: ReadonlyMap<string, string>): string {
  if (flags.size === 0) return message;
  let text = rewriteObjects(message, flags);
  // option blocks.quality → --block quality=…; option minSupport → --min-support
  text = text.replace(/\boption ([A-Za-z]\w*)(?:\.([\w-]+))?/g, (whole, name: string, part?: string) => {
    const flag = flags.get(name);
    if (flag === undefined) return whole;
    return part !== undefined && MAPPING_FLAGS.has(flag) ? `${flag} ${part}=…` : flag;
  });
  for (const [name, flag] of flags) {
    if (!/[A-Z]/.test(name)) continue;
    // minSupport: 0.01 → --min-support 0.01; then any other mention of the camelCase name
    text = text.replace(new RegExp(`(?<![\\w.-])${name}:\\s+`, 'g'), `${flag} `);
    text = text.replace(new RegExp(`(?<![\\w.-])${name}(?![\\w(])`, 'g'), flag);
  }
  // "e.g. k: 4" for a plain option name
  text = text.replace(/\be\.g\. ([a-z]\w*): /g, (whole, name: string) => {
    const flag = flags.get(name);
    return flag === undefined ? whole : `e.g. ${flag} `;
  });
  return text;
}
