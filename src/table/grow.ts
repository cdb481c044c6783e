/** The typed arrays that the growing buffers of clientele use. */
type Growable = Int32Array | Uint8Array | Float64Array;

/** A new array of the same kind and `length` elements holding `array`'s elements first (the rest zero). */
export function resized<T extends Growable>(array: T, length: number): T {
  const next = new (array.constructor as new (n: number) => T)(length);
  next.set(array as never);
  return next;
}

/**
 * `array` itself when it holds `need` elements, else a copy with room for at least `need` — at least twice the
 * length, so that growing one element at a time costs amortised O(1) per element.
 */
export function grown<T extends Growable>(array: T, need: number): T {
  return need <= array.length ? array : resized(array, Math.max(need, 2 * array.length, 16));
}
