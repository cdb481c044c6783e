import { describe, expect, it } from 'vitest';
import { fitBgNbd, fitGammaGamma, predictBgNbd, predictClv, summaryFromTransactions } from '../../src/clv/index';
import { dataset, readLines } from '../helpers/datasets';
import { expectCode } from '../helpers/errors';

/**
 * checkSameUnit through the public fits and predictions: a model carries the `clientele.unit` of the summary it was
 * fitted on, and refuses a summary in another one — continuous weeks and days, and calendar weeks or months
 * (purchase periods, not purchase days), which count another quantity.
 */
describe('a model fitted on calendar periods refuses a continuous-time summary, and vice versa', () => {
  const rows = readLines(dataset('CDNOW_sample.txt')).map((l) => l.trim().split(/\s+/));
  const log = {
    customer: rows.map((r) => Number(r[1])),
    date: rows.map((r) => Number(r[2])),
    amount: rows.map((r) => Number(r[4])),
  };
  const calibrationEnd = '1997-09-28'; // a Sunday: the last day of a calendar week
  const calendarWeeks = summaryFromTransactions(log, { calibrationEnd, calendar: 'week' });
  const weeks = summaryFromTransactions(log, { calibrationEnd, unit: 'week' });
  const days = summaryFromTransactions(log, { calibrationEnd, unit: 'day' });
  const calendarModel = fitBgNbd(calendarWeeks);
  const weekModel = fitBgNbd(weeks);
  const alive = { quantity: 'probabilityAlive' } as const;

  it('the fit carries the calendar unit and predicts on its own summary', () => {
    expect(calendarModel.unit).toBe('calendar week');
    expect(weekModel.unit).toBe('week');
    const p = predictBgNbd(calendarModel, calendarWeeks, alive).toArray() as Float64Array;
    expect(p.every((v) => v > 0 && v <= 1)).toBe(true);
  });

  it('calendar-week model on a summary in weeks or days: INVALID_INPUT naming the calendar option', () => {
    for (const summary of [weeks, days]) {
      expectCode(
        () => predictBgNbd(calendarModel, summary, alive),
        'INVALID_INPUT',
        'fitted in calendar weeks',
        "{ calendar: 'week' }",
      );
    }
    const spend = fitGammaGamma(weeks);
    expectCode(() => predictClv(calendarModel, spend, weeks), 'INVALID_INPUT', "{ calendar: 'week' }");
  });

  it('week model on a calendar-week or calendar-month summary: INVALID_INPUT naming the unit option', () => {
    const months = summaryFromTransactions(log, { calibrationEnd: '1997-09-30', calendar: 'month' });
    for (const summary of [calendarWeeks, months]) {
      expectCode(() => predictBgNbd(weekModel, summary, alive), 'INVALID_INPUT', 'fitted in weeks', "{ unit: 'week' }");
    }
    expectCode(() => predictBgNbd(calendarModel, months, alive), 'INVALID_INPUT', 'summary is in calendar months');
  });
});
