/**
 * A verifier of the metadata of Arrow IPC bytes (the file format's footer and every message, the stream format's
 * every message), run before apache-arrow reads them: apache-arrow trusts the flatbuffer offsets and vector lengths
 * and can loop without end on a corrupt one. It follows the tables of the Arrow format (Message.fbs, Schema.fbs,
 * File.fbs): every offset, vtable, vector and string must lie inside its message's metadata, every union type code
 * must be known, buffers must lie inside their message's body, field nodes must count sanely, the footer's blocks
 * must lie inside the file, and fields nest at most {@link MAX_DEPTH} deep. Internal to src/io.
 */

/** How deep fields may nest (children of children …). */
const MAX_DEPTH = 64;

/** What is wrong, at an absolute byte position of the file or stream. */
class Corrupt extends Error {}

/** A request for `n` bytes from `pos`, answered with those bytes (fewer at the end). */
interface Need {
  readonly pos: number;
  readonly n: number;
}

/** The metadata of one message (or the footer) and where its first byte is in the file or stream. */
interface Meta {
  readonly view: DataView;
  readonly base: number;
}

/** A table: its position, its vtable's position and size, and the size of its inline part. */
interface Table {
  readonly pos: number;
  readonly vt: number;
  readonly vtSize: number;
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function need(m: Meta, p: number, size: number, what: string): void {
  if (!(p >= 0 && size >= 0 && p + size <= m.view.byteLength)) {
    throw new Corrupt(`${what} at byte ${m.base + p} passes the end of its metadata (${m.view.byteLength} bytes)`);
  }
}

function table(m: Meta, p: number, what: string): Table {
  need(m, p, 4, what);
  const vt = p - m.view.getInt32(p, true);
  need(m, vt, 4, `the vtable of ${what}`);
  const vtSize = m.view.getUint16(vt, true);
  const inline = m.view.getUint16(vt + 2, true);
  if (vtSize < 4 || vtSize % 2 !== 0)
    throw new Corrupt(`the vtable of ${what} at byte ${m.base + vt} has size ${vtSize}`);
  need(m, vt, vtSize, `the vtable of ${what}`);
  need(m, p, Math.max(inline, 4), what);
  return { pos: p, vt, vtSize };
}

/** The position of field `i` of `t`, checked to hold `size` bytes, or -1 when absent. */
function field(m: Meta, t: Table, i: number, size: number, what: string): number {
  const slot = 4 + 2 * i;
  const off = slot + 2 <= t.vtSize ? m.view.getUint16(t.vt + slot, true) : 0;
  if (off === 0) return -1;
  need(m, t.pos + off, size, what);
  return t.pos + off;
}

function int64(m: Meta, p: number): number {
  return Number(m.view.getBigInt64(p, true));
}

/** The target of the offset in field `i`, or -1 when absent. */
function ref(m: Meta, t: Table, i: number, what: string): number {
  const p = field(m, t, i, 4, what);
  return p < 0 ? -1 : p + m.view.getUint32(p, true);
}

function subtable(m: Meta, t: Table, i: number, what: string): Table | undefined {
  const p = ref(m, t, i, what);
  return p < 0 ? undefined : table(m, p, what);
}

/** The first element and the length of the vector in field `i` of elements of `size` bytes. */
function vector(m: Meta, t: Table, i: number, size: number, what: string): { at: number; n: number } {
  const p = ref(m, t, i, what);
  if (p < 0) return { at: 0, n: 0 };
  need(m, p, 4, what);
  const n = m.view.getUint32(p, true);
  if (n * size > m.view.byteLength - p - 4) {
    throw new Corrupt(`${what} at byte ${m.base + p} claims ${n} elements, past the end of its metadata`);
  }
  return { at: p + 4, n };
}

function tables(m: Meta, t: Table, i: number, what: string): Table[] {
  const { at, n } = vector(m, t, i, 4, what);
  return Array.from({ length: n }, (_, k) => table(m, at + 4 * k + m.view.getUint32(at + 4 * k, true), what));
}

/** Checks the scalar fields of a table, by size in field order (0 for a field checked elsewhere). */
function scalars(m: Meta, t: Table, sizes: readonly number[], what: string): void {
  sizes.forEach((size, i) => {
    if (size > 0) field(m, t, i, size, what);
  });
}

function keyValues(m: Meta, t: Table, i: number): void {
  for (const kv of tables(m, t, i, 'a custom_metadata entry')) {
    vector(m, kv, 0, 1, 'a custom_metadata key');
    vector(m, kv, 1, 1, 'a custom_metadata value');
  }
}

/** The sizes of the scalar fields of each table of the Type union (Schema.fbs), by type code; 0 marks a reference. */
const TYPE_FIELDS: readonly (readonly number[])[] = [
  [], // NONE (refused)
  [], // Null
  [4, 1], // Int
  [2], // FloatingPoint
  [], // Binary
  [], // Utf8
  [], // Bool
  [4, 4, 4], // Decimal
  [2], // Date
  [2, 4], // Time
  [2, 0], // Timestamp: unit, timezone string
  [2], // Interval
  [], // List
  [], // Struct_
  [2, 0], // Union: mode, typeIds [int]
  [4], // FixedSizeBinary
  [4], // FixedSizeList
  [1], // Map
  [2], // Duration
  [], // LargeBinary
  [], // LargeUtf8
  [], // LargeList
  [], // RunEndEncoded
  [], // BinaryView
  [], // Utf8View
  [], // ListView
  [], // LargeListView
];
const TIMESTAMP = 10;
const UNION = 14;

function fieldTable(m: Meta, f: Table, depth: number): void {
  if (depth > MAX_DEPTH) throw new Corrupt(`fields nest more than ${MAX_DEPTH} deep at byte ${m.base + f.pos}`);
  vector(m, f, 0, 1, 'a field name');
  field(m, f, 1, 1, 'a field nullable flag');
  const codeAt = field(m, f, 2, 1, 'a field type code');
  const typeCode = codeAt < 0 ? 0 : m.view.getUint8(codeAt);
  if (typeCode === 0 || typeCode >= TYPE_FIELDS.length) {
    throw new Corrupt(`a field at byte ${m.base + f.pos} has type code ${typeCode}, not a known Arrow type`);
  }
  const type = subtable(m, f, 3, 'a field type');
  if (type === undefined) throw new Corrupt(`a field at byte ${m.base + f.pos} has no type table`);
  scalars(m, type, TYPE_FIELDS[typeCode]!, 'a field type');
  if (typeCode === TIMESTAMP) vector(m, type, 1, 1, 'a timestamp time zone');
  if (typeCode === UNION) vector(m, type, 1, 4, 'the type ids of a union');
  const dictionary = subtable(m, f, 4, 'a dictionary encoding');
  if (dictionary !== undefined) {
    scalars(m, dictionary, [8, 0, 1, 2], 'a dictionary encoding');
    const index = subtable(m, dictionary, 1, 'a dictionary index type');
    if (index !== undefined) scalars(m, index, TYPE_FIELDS[2]!, 'a dictionary index type');
  }
  for (const child of tables(m, f, 5, 'a child field')) fieldTable(m, child, depth + 1);
  keyValues(m, f, 6);
}

function schemaTable(m: Meta, s: Table): void {
  field(m, s, 0, 2, 'the schema endianness');
  for (const f of tables(m, s, 1, 'a schema field')) fieldTable(m, f, 1);
  keyValues(m, s, 2);
  vector(m, s, 3, 8, 'the schema features');
}

/** A record batch whose body holds `body` bytes: its field nodes count sanely and its buffers lie in the body. */
function recordBatchTable(m: Meta, r: Table, body: number): void {
  const lengthAt = field(m, r, 0, 8, 'a record batch length');
  const rows = lengthAt < 0 ? 0 : int64(m, lengthAt);
  if (rows < 0) throw new Corrupt(`a record batch at byte ${m.base + r.pos} claims ${rows} rows`);
  const compression = subtable(m, r, 3, 'a body compression');
  if (compression !== undefined) scalars(m, compression, [1, 1], 'a body compression');
  // a column holds at most 8 values per byte of body (bits), or as many as the batch has rows (a Null column); a
  // compressed body (read only with a codec registered in apache-arrow) bounds nothing
  const most = compression === undefined ? Math.max(rows, 8 * body) : Infinity;
  const nodes = vector(m, r, 1, 16, 'the field nodes of a record batch');
  let longest = 0;
  for (let k = 0; k < nodes.n; k++) {
    const at = nodes.at + 16 * k;
    const [length, nulls] = [int64(m, at), int64(m, at + 8)];
    if (!(length >= 0 && length <= most && nulls >= 0 && nulls <= length)) {
      throw new Corrupt(`a field node at byte ${m.base + at} claims ${length} values and ${nulls} nulls`);
    }
    longest = Math.max(longest, length);
  }
  // the top-level columns have as many values as the batch has rows
  if (nodes.n > 0 && rows > longest) {
    throw new Corrupt(`a record batch at byte ${m.base + r.pos} claims ${rows} rows, its longest column ${longest}`);
  }
  const buffers = vector(m, r, 2, 16, 'the buffers of a record batch');
  for (let k = 0; k < buffers.n; k++) {
    const at = buffers.at + 16 * k;
    const [offset, length] = [int64(m, at), int64(m, at + 8)];
    if (!(offset >= 0 && length >= 0 && offset + length <= body)) {
      throw new Corrupt(
        `a buffer at byte ${m.base + at} claims bytes ${offset} to ${offset + length} of a body of ${body}`,
      );
    }
  }
  const counts = vector(m, r, 4, 8, 'the variadic buffer counts');
  for (let k = 0; k < counts.n; k++) {
    if (int64(m, counts.at + 8 * k) < 0)
      throw new Corrupt(`a variadic buffer count at byte ${m.base + counts.at} is negative`);
  }
}

const SCHEMA = 1;
const DICTIONARY_BATCH = 2;
const RECORD_BATCH = 3;

/**
 * Verifies the metadata of a Message whose first byte is at `base` and returns its body length; `room` is how many
 * bytes may follow the metadata.
 */
function messageTable(bytes: Uint8Array, base: number, room: number): number {
  const m: Meta = { view: viewOf(bytes), base };
  need(m, 0, 4, 'a message');
  const t = table(m, m.view.getUint32(0, true), 'a message');
  field(m, t, 0, 2, 'a message version');
  const codeAt = field(m, t, 1, 1, 'a message header type');
  const code = codeAt < 0 ? 0 : m.view.getUint8(codeAt);
  const bodyAt = field(m, t, 3, 8, 'a message body length');
  const body = bodyAt < 0 ? 0 : int64(m, bodyAt);
  if (!(body >= 0 && body <= room)) throw new Corrupt(`a message at byte ${base} claims a body of ${body} bytes`);
  keyValues(m, t, 4);
  if (code !== SCHEMA && code !== DICTIONARY_BATCH && code !== RECORD_BATCH) {
    throw new Corrupt(`a message at byte ${base} has header type ${code}, not a schema, dictionary or record batch`);
  }
  const header = subtable(m, t, 2, 'a message header');
  if (header === undefined) throw new Corrupt(`a message at byte ${base} has no header`);
  if (code === SCHEMA) schemaTable(m, header);
  else if (code === RECORD_BATCH) recordBatchTable(m, header, body);
  else {
    scalars(m, header, [8, 0, 1], 'a dictionary batch');
    const data = subtable(m, header, 1, 'the data of a dictionary batch');
    if (data !== undefined) recordBatchTable(m, data, body);
  }
  return body;
}

/** A block of the footer: where its message starts, how long its metadata (with framing) and its body are. */
interface Block {
  readonly offset: number;
  readonly meta: number;
  readonly body: number;
  readonly at: number;
}

/** Verifies the footer whose first byte is at `base` (the end of the messages) and returns its blocks. */
function footerTable(bytes: Uint8Array, base: number): Block[] {
  const m: Meta = { view: viewOf(bytes), base };
  need(m, 0, 4, 'the footer');
  const t = table(m, m.view.getUint32(0, true), 'the footer');
  field(m, t, 0, 2, 'the footer version');
  const schema = subtable(m, t, 1, 'the footer schema');
  if (schema === undefined) throw new Corrupt(`the footer at byte ${base} has no schema`);
  schemaTable(m, schema);
  keyValues(m, t, 4);
  const blocks: Block[] = [];
  for (const i of [2, 3]) {
    const { at, n } = vector(m, t, i, 24, 'the blocks of the footer');
    for (let k = 0; k < n; k++) {
      const p = at + 24 * k;
      const block = { offset: int64(m, p), meta: m.view.getInt32(p + 8, true), body: int64(m, p + 16), at: base + p };
      if (!(block.offset >= 8 && block.meta > 0 && block.body >= 0 && block.offset + block.meta + block.body <= base)) {
        throw new Corrupt(
          `a block of the footer at byte ${block.at} claims bytes ${block.offset} to ` +
            `${block.offset + block.meta + block.body} of a file whose messages end at byte ${base}`,
        );
      }
      blocks.push(block);
    }
  }
  return blocks;
}

/**
 * Verifies the message framed at `pos` that must end by `end`, and returns where it ends, or undefined at the
 * end-of-stream marker. `metaEnd` bounds its framing and metadata (a footer block's metaDataLength).
 */
function* message(pos: number, end: number, metaEnd = end): Generator<Need, number | undefined, Uint8Array> {
  // one read for the framing and (usually) the whole metadata
  const first = yield { pos, n: Math.min(metaEnd - pos, FIRST_READ) };
  const head = viewOf(first);
  if (head.byteLength < 4) throw new Corrupt(`a message is cut at byte ${pos}`);
  let length = head.getInt32(0, true);
  let prefix = 4;
  if (length === -1) {
    if (head.byteLength < 8) throw new Corrupt(`a message is cut at byte ${pos + 4}`);
    length = head.getInt32(4, true);
    prefix = 8;
  }
  if (length === 0) return undefined;
  const at = pos + prefix;
  if (length < 0 || length > metaEnd - at)
    throw new Corrupt(`a message at byte ${at} claims ${length} bytes of metadata`);
  const meta = prefix + length <= first.length ? first.subarray(prefix, prefix + length) : yield { pos: at, n: length };
  const body = messageTable(meta, at, end - at - length);
  return at + length + body;
}

/** Bytes asked for at the start of a message: its framing and the metadata of most messages. */
const FIRST_READ = 4096;

const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // ARROW1

function magicAt(bytes: Uint8Array, at: number): boolean {
  return at >= 0 && MAGIC.every((c, k) => bytes[at + k] === c);
}

/** The whole check, as a sequence of requests for bytes: the footer and its blocks, then the messages in order. */
function* walk(size: number, sequential: boolean): Generator<Need, void, Uint8Array> {
  const head = yield { pos: 0, n: Math.min(size, 8) };
  let pos = 0;
  let end = size;
  let blocks: Block[] = [];
  if (magicAt(head, 0)) {
    if (size < 18) throw new Corrupt('the file does not end with the ARROW1 magic of its footer');
    const tail = yield { pos: size - 10, n: 10 };
    if (!magicAt(tail, 4)) throw new Corrupt('the file does not end with the ARROW1 magic of its footer');
    const footer = viewOf(tail).getInt32(0, true);
    if (footer <= 0 || footer > size - 18) throw new Corrupt(`the footer claims ${footer} bytes in a file of ${size}`);
    end = size - 10 - footer;
    blocks = footerTable(yield { pos: end, n: footer }, end);
    pos = sequential ? 8 : end;
  }
  for (const b of blocks) {
    const stop = yield* message(b.offset, b.offset + b.meta + b.body, b.offset + b.meta);
    if (stop === undefined) throw new Corrupt(`a block of the footer at byte ${b.at} points at no message`);
  }
  while (pos < end) {
    const next = yield* message(pos, end);
    if (next === undefined) return;
    pos = next;
  }
}

function problemOf(e: unknown): string {
  if (e instanceof Corrupt) return e.message;
  if (e instanceof RangeError) return `an offset passes the end of its metadata (${e.message})`;
  throw e;
}

/** What is wrong with the metadata of Arrow IPC bytes (file or stream format), or undefined. */
export function ipcProblem(bytes: Uint8Array): string | undefined {
  try {
    const steps = walk(bytes.length, true);
    for (let step = steps.next(); !step.done;) {
      step = steps.next(bytes.subarray(step.value.pos, step.value.pos + step.value.n));
    }
    return undefined;
  } catch (e) {
    return problemOf(e);
  }
}

/**
 * {@link ipcProblem} of a file of `size` bytes read piece by piece through `read` (the metadata only). Of the file
 * format only the footer and the messages of its blocks are read, as apache-arrow's file reader reads only those.
 */
export async function ipcFileProblem(
  size: number,
  read: (pos: number, n: number) => Promise<Uint8Array>,
): Promise<string | undefined> {
  try {
    const steps = walk(size, false);
    for (let step = steps.next(); !step.done;) step = steps.next(await read(step.value.pos, step.value.n));
    return undefined;
  } catch (e) {
    return problemOf(e);
  }
}
