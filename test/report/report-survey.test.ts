/**
 * The survey in the report (issue 16): `surveyModel` and `surveyBlocks` as `csi` takes them, and a survey that cannot
 * be fitted leaves the satisfaction sections out with a note instead of failing the whole report.
 */
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { sampleStore } from '../../src/index';
import { analysisReport } from '../../src/report/index';
import { acsiModel, ecsiModel } from '../../src/satisfaction/path-model';
import { plsPathModel } from '../../src/satisfaction/pls-path-model';
import { rejectsWith } from '../helpers/errors';

// no-scripts keeps these tests fast and independent of the vega packages
const scripts = { vega: '', vegaLite: '', vegaEmbed: '' };
const store = sampleStore({ customers: 300, seed: 5 });
const tx = store.transactions;

/** The survey as plain columns, to rename or break. */
function surveyColumns(): Record<string, number[]> {
  const s = store.survey;
  const out: Record<string, number[]> = {};
  for (const f of s.schema.fields) {
    if (f.name === 'customer') continue;
    out[f.name] = Array.from((s as Table).getChild(f.name)!.toArray() as ArrayLike<number>, Number);
  }
  return out;
}

const figure = (section: { figures?: readonly { label: string; value: string | number }[] }, label: string) =>
  section.figures?.find((f) => f.label === label)?.value;

describe('analysisReport: the survey sections', () => {
  it('ACSI by default: the satisfaction index figure is plsPathModel(acsiModel(the planted blocks)).index.satisfaction', async () => {
    const r = await analysisReport(tx, { survey: store.survey, surveyScale: [1, 10], k: 2, scripts });
    const fit = plsPathModel(store.survey, acsiModel(store.truth.acsi.blocks), { scale: [1, 10] });
    const section = r.sections.find((s) => s.title === 'Customer satisfaction index (ACSI)')!;
    expect(figure(section, 'satisfaction index (0–100)')).toBe(fit.index.satisfaction.toFixed(1));
    expect(r.notes).toEqual([]);
  });

  it('surveyModel ecsi on a survey without complaints: the ECSI fit without complaints, noted in the section and in notes', async () => {
    const cols = surveyColumns();
    const survey = {
      imag1: cols.exp1.map((v, i) => Math.min(10, v + (i % 3))),
      imag2: cols.exp2,
      ...Object.fromEntries(Object.entries(cols).filter(([c]) => !c.startsWith('comp'))),
    };
    const r = await analysisReport(tx, { survey, surveyModel: 'ecsi', k: 2, scripts });
    const blocks = store.truth.acsi.blocks;
    const fit = plsPathModel(
      survey,
      ecsiModel({
        image: ['imag1', 'imag2'],
        expectations: blocks.expectations,
        quality: blocks.quality,
        value: blocks.value,
        satisfaction: blocks.satisfaction,
        loyalty: blocks.loyalty,
      }),
    );
    const section = r.sections.find((s) => s.title === 'Customer satisfaction index (ECSI)')!;
    expect(figure(section, 'R² of satisfaction')).toBe(fit.rSquared.satisfaction.toFixed(3));
    expect(r.notes).toHaveLength(1);
    expect(r.notes[0]).toContain('no column for complaints');
    expect(section.text).toContain('satisfaction → complaints, complaints → loyalty');
  });

  it('surveyBlocks names the columns of a construct by its name or a prefix', async () => {
    const { loy1, loy2, ...rest } = surveyColumns();
    const survey = { ...rest, stay: loy1, recommend: loy2 };
    const r = await analysisReport(tx, { survey, surveyBlocks: { LOY: ['stay', 'recommend'] }, k: 2, scripts });
    expect(r.sections.some((s) => s.title === 'Customer satisfaction index (ACSI)')).toBe(true);
    expect(r.notes).toEqual([]);
  });

  it.each([
    [
      'a construct without columns',
      () => ({ q1: [1, 2, 3], q2: [3, 2, 1] }),
      'no column for the construct expectations',
    ],
    ['a constant question', () => ({ ...surveyColumns(), sat1: Array(store.survey.numRows).fill(5) }), 'sat1'],
    [
      'too few respondents',
      () => Object.fromEntries(Object.entries(surveyColumns()).map(([c, v]) => [c, v.slice(0, 3)])),
      '',
    ],
  ])(
    '%s: the section says why it is left out, notes say it too, and the rest of the report is written',
    async (_what, make, words) => {
      const r = await analysisReport(tx, { survey: make(), k: 2, scripts });
      const section = r.sections.find((s) => s.title === 'Customer satisfaction index')!;
      expect(section.text).toContain('This section is left out: the survey could not be fitted.');
      expect(section.text).toContain(words);
      expect(r.notes).toHaveLength(1);
      expect(r.notes[0]).toContain('the satisfaction sections are left out');
      expect(r.sections.some((s) => s.title === 'RFM segments')).toBe(true);
      expect(r.html).toContain('This section is left out');
    },
  );

  it('a malformed survey option is still the caller’s error (INVALID_OPTION), not a note', async () => {
    await rejectsWith(
      () => analysisReport(tx, { survey: store.survey, surveyBlocks: { happiness: ['sat1'] }, k: 2, scripts }),
      'INVALID_OPTION',
      'surveyBlocks',
    );
    await rejectsWith(
      () => analysisReport(tx, { survey: store.survey, surveyModel: 'scsb' as never, k: 2, scripts }),
      'INVALID_OPTION',
      'surveyModel',
    );
  });
});
