import { expect } from 'vitest';
import type { Segmentation } from '../../src/segment/kmeans';

/** Every number of a segmentation, flattened with its path, for an Object.is comparison. */
export function numbers(seg: Segmentation): [string, unknown][] {
  const out: [string, unknown][] = [];
  const walk = (path: string, v: unknown): void => {
    if (typeof v === 'function') return;
    if (ArrayBuffer.isView(v))
      Array.from(v as unknown as ArrayLike<number>).forEach((x, i) => out.push([`${path}[${i}]`, x]));
    else if (Array.isArray(v)) v.forEach((x, i) => walk(`${path}[${i}]`, x));
    else if (v !== null && typeof v === 'object') for (const [key, x] of Object.entries(v)) walk(`${path}.${key}`, x);
    else out.push([path, v]);
  };
  walk('', seg);
  return out;
}

/** Two segmentations equal number for number (`Object.is`), naming the first that differs. */
export function expectSameSegmentation(actual: Segmentation, expected: Segmentation): void {
  const a = numbers(actual);
  const e = numbers(expected);
  expect(a.map(([path]) => path)).toEqual(e.map(([path]) => path));
  const first = e.findIndex(([, x], i) => !Object.is(x, a[i][1]));
  expect(first === -1 ? 'same' : `${e[first][0]}: ${String(a[first][1])} vs ${String(e[first][1])}`).toBe('same');
}
