import type { Dictionary, Float, Int, Int8, Int16, Int32, LargeUtf8, Utf8 } from 'apache-arrow';

/**
 * The Arrow type of a key column that a result copies from its input (`customer` of `rfm`, `key` of `abc`): text
 * keys stay text (`Utf8`, `LargeUtf8`, or `Dictionary<Utf8>` when the input was dictionary-encoded), numeric ids
 * stay numbers (`Int32`, `Float64`…). The result types are generic in it (`RfmColumns<Utf8>`) for a caller who
 * knows the input's key type; by default it is this union, so `get` returns `string | number | bigint`.
 */
export type KeyType = Utf8 | LargeUtf8 | Dictionary<Utf8> | Int | Float;

/**
 * The Arrow type of a label column (`segment`, `score`, `class`, `stage`…): dictionary-encoded text whose index is
 * the smallest signed integer that holds the labels (Int8 up to 127 labels, then Int16, Int32).
 */
export type LabelType = Dictionary<Utf8, Int8 | Int16 | Int32>;
