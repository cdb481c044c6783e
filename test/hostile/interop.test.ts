import { describe, expect, it } from 'vitest';
import { asTable } from '../../src/table/index';
import { toDanfo } from '../../src/io/index';
import { refuses } from './helpers';

/** toDanfo against the real danfojs@1.1.2 (a dev dependency): names danfo.js cannot hold are refused in our words. */
const danfo = await import('danfojs');

describe('hostile names into danfo.js', () => {
  it('class 3: a column named constructor is INVALID_INPUT (danfo.js cannot hold it), not a raw danfo error', () => {
    const table = asTable(JSON.parse('[{"constructor": 1, "a": 2}]'));
    expect(table.schema.fields.map((f) => f.name)).toEqual(['constructor', 'a']);
    refuses([table], () => toDanfo(table, danfo), 'INVALID_INPUT', 'danfo.js refused the table', 'rename columns');
  });

  for (const name of ['__proto__', 'hasOwnProperty', 'toString']) {
    it(`class 3: a column named ${name} converts with its values (an own property, not the prototype)`, () => {
      const table = asTable(JSON.parse(`[{"${name}": 1, "a": "x"}]`));
      const frame = toDanfo(table, danfo) as unknown as { columns: string[]; values: unknown[][] };
      expect(frame.columns).toEqual([name, 'a']);
      expect(frame.values).toEqual([[1, 'x']]);
    });
  }
});
