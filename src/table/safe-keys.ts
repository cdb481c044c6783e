import { Table } from 'apache-arrow';
import type { Vector } from 'apache-arrow';

/**
 * The one safe-key idiom: wherever a name the user chose (a column, a latent variable, a segment, an item) keys a
 * structure, that structure is a `Map` or a record made here, with no prototype, and every look-up is an own-key
 * look-up. A plain `{}` would take `__proto__` as its prototype, answer `constructor`, `toString`, `valueOf` and
 * `hasOwnProperty` from `Object.prototype`, and lose or mistake those names (issue 15, class 3); the `in` operator
 * has the same fault and is banned from `src/` by ESLint (eslint.config.js).
 */

/** An empty record with no prototype: every string, `__proto__` included, is an ordinary own key. */
export function nullRecord<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}

/** A prototype-free record of `entries` (later entries win), for results keyed by user names. */
export function recordOf<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  const out = nullRecord<V>();
  for (const [key, value] of entries) out[key] = value;
  return out;
}

/** Whether `key` is an own property of `object` (never one inherited from `Object.prototype`). */
export function hasOwnKey(object: unknown, key: PropertyKey): boolean {
  return typeof object === 'object' && object !== null && Object.prototype.hasOwnProperty.call(object, key);
}

/** The own property `key` of `object`, or `undefined` when it has none (inherited members are never returned). */
export function ownValue<V>(object: Readonly<Record<string, V>> | null | undefined, key: string): V | undefined {
  return hasOwnKey(object, key) ? (object as Record<string, V>)[key] : undefined;
}

/**
 * An Arrow table of named vectors in the given order. Built from a prototype-free record and re-ordered by name,
 * so a column named `__proto__` is kept and integer-like names (`"2"`) keep their place instead of moving first,
 * as they would among an object's keys.
 */
export function tableOf(columns: Iterable<readonly [string, Vector]>): Table {
  const names: string[] = [];
  const record = nullRecord<Vector>();
  for (const [name, vector] of columns) {
    if (!hasOwnKey(record, name)) names.push(name);
    record[name] = vector;
  }
  const table = new Table(record);
  const order = table.schema.fields.map((f) => f.name);
  return order.every((name, i) => name === names[i]) ? table : table.select(names);
}
