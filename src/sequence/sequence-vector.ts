import { Field, List, makeData, makeVector, Utf8, Vector } from 'apache-arrow';
import type { Data, Table } from 'apache-arrow';
import { ClienteleError, isValidAt, readKeysVector, stringVector, typeName } from '../table/internal';

/** Arrow's type id of `List` (variable-size list with 32-bit offsets), from the columnar format specification. */
const LIST_TYPE_ID = 12;

/**
 * Patterns as flat codes: pattern p holds elements `patternOffsets[p] … patternOffsets[p + 1] − 1`, element k holds
 * `codes[elementOffsets[k] … elementOffsets[k + 1] − 1]`, and `names[code]` is the item.
 */
export interface CodedPatterns {
  readonly patternOffsets: Int32Array;
  readonly elementOffsets: Int32Array;
  readonly codes: Int32Array;
  readonly names: readonly string[];
}

/**
 * The `List<List<Utf8>>` column of patterns (child fields `item`, nullable, as pyarrow's `list_(list_(string()))`).
 * `patternOffsets[0]` and `elementOffsets[0]` are 0.
 *
 * Cost: O(total items); each name is encoded once per occurrence.
 */
export function patternVector(p: CodedPatterns): Vector {
  const { patternOffsets, elementOffsets, codes, names } = p;
  const itemNames: string[] = new Array(codes.length);
  for (let t = 0; t < codes.length; t++) itemNames[t] = names[codes[t]];
  const leaf = stringVector(itemNames).data[0] as Data<Utf8>;
  const elements = elementOffsets.length - 1;
  const elementType = new List(new Field('item', new Utf8(), true));
  const elementData = makeData({
    type: elementType,
    length: elements,
    nullCount: 0,
    valueOffsets: elementOffsets,
    child: leaf,
  });
  return makeVector(
    makeData({
      type: new List(new Field('item', elementType, true)),
      length: patternOffsets.length - 1,
      nullCount: 0,
      valueOffsets: patternOffsets,
      child: elementData,
    }),
  );
}

/** Pattern p as arulesSequences prints it: `<{a},{b,c}>`. */
export function patternText(p: CodedPatterns, pattern: number): string {
  const { patternOffsets, elementOffsets, codes, names } = p;
  let text = '<';
  for (let k = patternOffsets[pattern]; k < patternOffsets[pattern + 1]; k++) {
    if (k > patternOffsets[pattern]) text += ',';
    text += '{';
    for (let t = elementOffsets[k]; t < elementOffsets[k + 1]; t++) {
      if (t > elementOffsets[k]) text += ',';
      text += names[codes[t]];
    }
    text += '}';
  }
  return `${text}>`;
}

/**
 * Reads a `List<List<Utf8>>` column of a sequences or rules table back as coded patterns (items coded by their
 * UTF-8 bytes, codes in order of first appearance; a null pattern or element reads as empty).
 *
 * Cost: O(total items).
 *
 * @throws {ClienteleError} `MISSING_COLUMN` when the column is absent; `INVALID_TYPE` when it is not a list of lists
 *   of strings or holds a null item
 */
export function readPatterns(table: Table, column: string, fn: string): CodedPatterns {
  const vector = table.getChild(column) as Vector | null;
  if (!vector) {
    throw new ClienteleError(
      'MISSING_COLUMN',
      `${fn}: column "${column}" is missing (found columns: ${table.schema.fields.map((f) => f.name).join(', ') || 'none'}); ` +
        `pass the table frequentSequences (or sequenceRules) returns`,
      { column },
    );
  }
  const inner = vector.type.typeId === LIST_TYPE_ID ? vector.type.children[0]?.type : null;
  const leafType = inner?.typeId === LIST_TYPE_ID ? inner.children[0]?.type : null;
  if (!leafType || (leafType as { typeId: number }).typeId !== new Utf8().typeId) {
    throw new ClienteleError(
      'INVALID_TYPE',
      `${fn}: column "${column}" must be a list of lists of item names, List<List<Utf8>> (found ${typeName(vector.type)}); ` +
        `pass the table frequentSequences (or sequenceRules) returns`,
      { column },
    );
  }
  const chunks = vector.data as Data[];
  const leaves: Data[] = [];
  const patternOffsets: number[] = [0];
  const elementOffsets: number[] = [0];
  const elementLeaf: number[] = [];
  let leafTotal = 0;
  for (const chunk of chunks) {
    const outer = chunk.valueOffsets as Int32Array;
    const mid = chunk.children[0] as Data;
    const midOffsets = mid.valueOffsets as Int32Array;
    const leaf = mid.children[0] as Data;
    leaves.push(leaf);
    for (let i = 0; i < chunk.length; i++) {
      if (!isValidAt(chunk, i)) {
        patternOffsets.push(elementOffsets.length - 1);
        continue;
      }
      for (let k = outer[i]; k < outer[i + 1]; k++) {
        const from = isValidAt(mid, k) ? midOffsets[k] : 0;
        const to = isValidAt(mid, k) ? midOffsets[k + 1] : 0;
        // element k's leaves, as indices into the concatenated leaves of all chunks
        elementOffsets.push(elementOffsets[elementOffsets.length - 1] + (to - from));
        elementLeaf.push(leafTotal + from);
      }
      patternOffsets.push(elementOffsets.length - 1);
    }
    leafTotal += leaf.length;
  }
  const keys = readKeysVector(new Vector(leaves), column, fn, 1 << 12);
  const names = Array.from({ length: keys.size }, (_, k) => String(keys.keys.get(k)));
  const eo = Int32Array.from(elementOffsets);
  const codes = new Int32Array(eo[eo.length - 1]);
  for (let k = 0; k < elementLeaf.length; k++) {
    for (let t = eo[k]; t < eo[k + 1]; t++) {
      const code = keys.codes[elementLeaf[k] + (t - eo[k])];
      if (code < 0) {
        throw new ClienteleError(
          'INVALID_TYPE',
          `${fn}: column "${column}" holds a null item name (found null inside a list); remove nulls from the patterns`,
          { column },
        );
      }
      codes[t] = code;
    }
  }
  return { patternOffsets: Int32Array.from(patternOffsets), elementOffsets: eo, codes, names };
}
