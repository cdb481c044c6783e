/**
 * Freezes plain objects and arrays recursively, for results handed to users. Typed arrays cannot be frozen and are
 * left as they are (as are functions' insides); already frozen values are not walked again.
 */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value) || Object.isFrozen(value)) return value;
  for (const key of Object.keys(value as object)) deepFreeze((value as Record<string, unknown>)[key]);
  return Object.freeze(value);
}
