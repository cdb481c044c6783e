/**
 * The texts of byte ranges: range k is `bytes[offsets[k], offsets[k + 1])` (offsets non-decreasing, as in an Arrow
 * Utf8 buffer), for `k = 0 … ranges − 1`; name c is the UTF-8 text of range `order[c]` (of range c without
 * `order`), as `TextDecoder` — which Arrow's Utf8 vectors use — decodes it. When the bytes are all ASCII (the item
 * codes of the FIMI files, most product codes) they are decoded once and each name is a slice of that one string,
 * instead of a decoder call per name. Internal (also src/io, for the basket-file reader).
 *
 * Cost: O(bytes + names).
 */
export function utf8Names(bytes: Uint8Array, offsets: Int32Array, ranges: number, order?: Int32Array): string[] {
  const count = order ? order.length : ranges;
  const names: string[] = new Array<string>(count);
  const decoder = new TextDecoder();
  const lo = offsets[0];
  const hi = offsets[ranges];
  let ascii = true;
  for (let j = lo; j < hi; j++)
    if (bytes[j] >= 0x80) {
      ascii = false;
      break;
    }
  const whole = ascii ? decoder.decode(bytes.subarray(lo, hi)) : '';
  for (let c = 0; c < count; c++) {
    const k = order ? order[c] : c;
    names[c] = ascii
      ? whole.slice(offsets[k] - lo, offsets[k + 1] - lo)
      : decoder.decode(bytes.subarray(offsets[k], offsets[k + 1]));
  }
  return names;
}
