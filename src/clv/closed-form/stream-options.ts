import { ClienteleError, describeValue } from '../../table/internal';
import { checkTiming, resolveParam, resolveSeries, RULES } from './params';
import type { Frame, Param } from './params';
import type { StreamParams } from './present-value';

/**
 * Validation shared by `clv.discounted` and `clv.retention` (internal): margins, horizon, rates, the amounts at
 * t = 0 and the timing, resolved into the {@link StreamParams} the core trusts.
 */

const ONE: Param = { values: Float64Array.of(1), step: 0 };

/** Resolves and checks the options of a margin stream; `retention: false` is `clv.discounted` (r = 1). */
export function resolveStream(frame: Frame, o: Record<string, unknown>, retention: boolean): StreamParams {
  const { fn } = frame;
  const timing = checkTiming(o.timing, fn);

  if (o.margin !== undefined && o.margins !== undefined) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: options margin and margins are both given (found margin ${describeValue(o.margin)}, margins ${describeValue(o.margins)}); ` +
        `pass margin for a constant margin per period or margins for one per period, not both`,
    );
  }
  if (o.margin === undefined && o.margins === undefined) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: no margin given (found neither margin nor margins); pass margin (money per period${frame.table ? ', a number or a column' : ''}) ` +
        `or margins (an array, one per period)`,
    );
  }
  if (o.margins !== undefined && !Array.isArray(o.margins)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: option margins must be an array of numbers, one per period (found ${describeValue(o.margins)}); pass a single value as margin`,
    );
  }
  const margins = o.margins !== undefined ? resolveSeries(o.margins as unknown[], RULES.money, fn, 'margins') : null;
  const margin = margins ? ONE : resolveParam(frame, o.margin, { option: 'margin', rule: RULES.money });

  let retentions: Float64Array | null = null;
  let rate = ONE;
  if (retention) {
    if (Array.isArray(o.retentionRate))
      retentions = resolveSeries(o.retentionRate, RULES.fraction, fn, 'retentionRate');
    else rate = resolveParam(frame, o.retentionRate, { option: 'retentionRate', rule: RULES.fraction });
  }
  if (margins && retentions && margins.length !== retentions.length) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: margins and retentionRate give different numbers of periods (found ${margins.length} and ${retentions.length}); ` +
        `give both one value per period`,
    );
  }

  const series = margins ?? retentions;
  let periods: Param;
  if (series) {
    const given = o.periods;
    if (given !== undefined && given !== series.length) {
      const which = margins ? 'margins' : 'retentionRate';
      throw new ClienteleError(
        'INVALID_OPTION',
        `${fn}: option periods must match the ${series.length} values of ${which} (found ${describeValue(given)}); ` +
          `leave periods out, the array sets the horizon`,
      );
    }
    periods = { values: Float64Array.of(series.length), step: 0 };
  } else {
    periods = resolveParam(frame, o.periods, {
      option: 'periods',
      rule: RULES.periods,
      fallback: retention ? Infinity : undefined,
    });
  }

  const discount = resolveParam(frame, o.discountRate, { option: 'discountRate', rule: RULES.rate });
  const initial = resolveParam(frame, o.initialMargin, { option: 'initialMargin', rule: RULES.money, fallback: 0 });
  const cost = resolveParam(frame, o.acquisitionCost, { option: 'acquisitionCost', rule: RULES.money, fallback: 0 });
  checkConvergence(frame, periods, rate, discount, retention);
  return { margin, margins, retention: rate, retentions, discount, periods, initial, cost, timing };
}

/**
 * An infinite horizon needs r < 1 + d, or the sum diverges (with r ≤ 1 and d ≥ 0 that is: not r = 1 with d = 0).
 *
 * @throws {ClienteleError} `INVALID_OPTION` for numbers, `INVALID_VALUE` (with the row) for columns
 */
function checkConvergence(frame: Frame, periods: Param, rate: Param, discount: Param, retention: boolean): void {
  const { fn, missing } = frame;
  const rows = periods.step || rate.step || discount.step ? frame.rows : 1;
  for (let i = 0; i < rows; i++) {
    const n = periods.values[i * periods.step];
    const r = rate.values[i * rate.step];
    const d = discount.values[i * discount.step];
    if (n !== Infinity || r < 1 + d || (frame.table && missing[i])) continue;
    const column = periods.column ?? rate.column ?? discount.column;
    const where = column !== undefined ? ` at row ${i}` : '';
    const found = retention ? `retentionRate ${r}, discountRate ${d}` : `discountRate ${d} with periods Infinity`;
    const fix = retention
      ? 'pass a finite periods, a retentionRate below 1 or a discountRate above 0'
      : 'pass a finite periods or a discountRate above 0';
    throw new ClienteleError(
      column !== undefined ? 'INVALID_VALUE' : 'INVALID_OPTION',
      `${fn}: the infinite-horizon sum diverges when retentionRate ≥ 1 + discountRate (found ${found}${where}); ${fix}`,
      column !== undefined ? { column, row: i } : {},
    );
  }
}
