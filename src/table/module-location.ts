/**
 * Where the calling bundle is, as a path or file URL that `createRequire` and `new URL` accept: `__filename` in the
 * CommonJS build, `import.meta.url` in the ESM build and under vitest/tsx (where `__filename` is not defined).
 * Internal: src/report finds the vega builds from it, src/parallel the worker file.
 */
export function moduleLocation(): string | undefined {
  if (typeof __filename === 'string' && __filename.length > 0) return __filename;
  try {
    return import.meta.url;
  } catch {
    return undefined;
  }
}
