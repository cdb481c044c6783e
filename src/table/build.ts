import { DateDay, Dictionary, Int8, Int16, Int32, makeData, makeVector, Schema, Table, Utf8, vectorFromArray } from 'apache-arrow';
import type { Vector } from 'apache-arrow';

/** An Arrow vector over a typed array, without a copy. */
export function numberVector(values: Float64Array | Int32Array | Int8Array | Int16Array): Vector {
  return makeVector(values);
}

/** An Arrow Date32 (`DateDay`) vector over epoch days, without a copy. */
export function dateDayVector(days: Int32Array): Vector {
  return makeVector(makeData({ type: new DateDay(), length: days.length, nullCount: 0, data: days }));
}

/**
 * A dictionary-encoded string vector: `codes[i]` indexes `labels`. Used for low-cardinality outputs (scores,
 * segment names, classes) so that a million rows cost a million small integers, not a million strings.
 */
export function labelVector(codes: Int8Array | Int16Array | Int32Array, labels: readonly string[]): Vector {
  const indexType = codes instanceof Int8Array ? new Int8() : codes instanceof Int16Array ? new Int16() : new Int32();
  const dictionary = vectorFromArray(labels as string[], new Utf8());
  const type = new Dictionary(new Utf8(), indexType);
  return makeVector(makeData({ type, length: codes.length, nullCount: 0, data: codes, dictionary }));
}

/** The smallest signed integer array that holds codes `0..size-1`. */
export function codeArray(length: number, size: number): Int8Array | Int16Array | Int32Array {
  return size <= 127 ? new Int8Array(length) : size <= 32767 ? new Int16Array(length) : new Int32Array(length);
}

/** A table from named vectors with string metadata on its schema. */
export function tableWithMetadata(columns: Record<string, Vector>, metadata: Record<string, string>): Table {
  const plain = new Table(columns);
  const schema = new Schema(plain.schema.fields, new Map(Object.entries(metadata)));
  return new Table(schema, plain.batches.map((b) => b));
}
