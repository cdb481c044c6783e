import { describe, expect, it } from 'vitest';
import { asTable } from '../../src/table/as-table';
import { overviewSection } from '../../src/report/analysis-sections';
import { monthlyChart, withCoverage } from '../../src/report/overview-chart';
import type { MonthRow } from '../../src/report/overview-chart';

/** A log of two customers buying every 3 days from `from` to `to` (ISO days, both included), amount 10 each. */
function log(from: string, to: string) {
  const customer: string[] = [];
  const date: Date[] = [];
  const amount: number[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`), i = 0; t <= end; t += 86_400_000, i++) {
    // a purchase on the first and last day, and every third day between
    if (t !== end && i % 3 !== 0) continue;
    customer.push(i % 2 === 0 ? 'a' : 'b');
    date.push(new Date(t));
    amount.push(10);
  }
  return asTable({ customer, date, amount });
}

const cols = {
  customer: 'customer',
  date: 'date',
  amount: 'amount',
  transaction: 'transaction',
  item: 'item',
  returns: 'exclude' as const,
};
type ChartRow = { month: string; partial: boolean; coverage: string };
const chartRows = (chart: unknown) => (chart as { data: { values: ChartRow[] } }).data.values;

describe('overview: a partial first or last month is flagged, not shown as a cliff', () => {
  it('a log ending on 2011-12-09 marks December: 9 of 31 days, in the chart data, subtitle, table and text', () => {
    const { section } = overviewSection(log('2011-10-01', '2011-12-09'), cols, undefined, undefined, 'test');
    const rows = chartRows(section.chart);
    expect(rows.map((r) => [r.month, r.partial, r.coverage])).toEqual([
      ['2011-10-01', false, '31 of 31 days'],
      ['2011-11-01', false, '30 of 30 days'],
      ['2011-12-01', true, '9 of 31 days'],
    ]);
    expect(section.text).toContain('December 2011 is a partial month: the data cover 9 of its 31 days (to 2011-12-09)');
    const title = (section.chart as { title: { subtitle?: string } }).title;
    expect(title.subtitle).toContain('Dec 2011, 9 of 31 days');
    expect((section.table as Record<string, unknown[]>).daysCovered).toEqual(['31 of 31', '30 of 30', '9 of 31']);
  });

  it('a log that covers whole months has no flag, no note and no extra column', () => {
    const { section } = overviewSection(log('2011-10-01', '2011-12-31'), cols, undefined, undefined, 'test');
    expect(chartRows(section.chart).every((r) => !r.partial)).toBe(true);
    expect(section.text).not.toContain('partial');
    expect((section.chart as { title: { subtitle?: string } }).title.subtitle).toBeUndefined();
    expect((section.table as Record<string, unknown>).daysCovered).toBeUndefined();
  });

  it('a log starting mid-month flags its first month (from the first day); February of a leap year has 29 days', () => {
    const { section } = overviewSection(log('2024-02-20', '2024-03-31'), cols, undefined, undefined, 'test');
    const rows = chartRows(section.chart);
    expect(rows.map((r) => [r.partial, r.coverage])).toEqual([
      [true, '10 of 29 days'],
      [false, '31 of 31 days'],
    ]);
    expect(section.text).toContain(
      'February 2024 is a partial month: the data cover 10 of its 29 days (from 2024-02-20)',
    );
  });

  it('an as-of day after the last purchase extends the observed period to it', () => {
    const tx = log('2011-10-01', '2011-12-09');
    const { section } = overviewSection(tx, cols, new Date('2011-12-31T00:00:00Z'), undefined, 'test');
    expect(chartRows(section.chart).every((r) => !r.partial)).toBe(true);
  });

  it('withCoverage: days covered equal a day-by-day count, for any first and last day (brute force)', () => {
    const months: MonthRow[] = ['2023-01-01', '2023-02-01', '2023-03-01'].map((month) => ({
      month,
      revenue: 1,
      transactions: 1,
      customers: 1,
      newCustomers: 0,
    }));
    const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
    for (const [first, last] of [
      ['2023-01-01', '2023-03-31'],
      ['2023-01-31', '2023-03-01'],
      ['2023-01-15', '2023-03-15'],
    ]) {
      const got = withCoverage(months, first, last);
      got.forEach((m, i) => {
        let count = 0;
        let inMonth = 0;
        for (let d = day('2023-01-01'); d <= day('2023-03-31'); d++) {
          const iso = new Date(d * 86_400_000).toISOString();
          if (iso.slice(0, 7) !== months[i].month.slice(0, 7)) continue;
          inMonth++;
          if (d >= day(first) && d <= day(last)) count++;
        }
        expect([m.days, m.daysInMonth, m.partial]).toEqual([count, inMonth, count < inMonth]);
      });
    }
  });

  it('the chart draws partial bars lighter with a dashed outline (the encoding tests datum.partial)', () => {
    const spec = monthlyChart([
      {
        month: '2011-11-01',
        revenue: 10,
        transactions: 1,
        customers: 1,
        newCustomers: 1,
        days: 30,
        daysInMonth: 30,
        partial: false,
      },
      {
        month: '2011-12-01',
        revenue: 3,
        transactions: 1,
        customers: 1,
        newCustomers: 0,
        days: 9,
        daysInMonth: 31,
        partial: true,
      },
    ]) as { layer: { encoding: Record<string, { condition?: { test: string; value: unknown }; value?: unknown }> }[] };
    const bar = spec.layer[0].encoding;
    expect(bar.strokeDash.condition).toEqual({ test: 'datum.partial === true', value: [4, 3] });
    expect(bar.color.condition?.value).not.toBe(bar.color.value);
  });
});
