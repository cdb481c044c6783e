import type { Table } from 'apache-arrow';
import { ClienteleError, META } from '../table/internal';

/**
 * What the tables of other clientele analyses hold in the columns a CLV model reads, for the message that refuses
 * them: `customerSummary` and `rfm` have `frequency`, `recency`, `T` and `monetary` too, but in days and with RFM
 * recency (time since the last purchase), so a model fed them runs and returns numbers about 26 % off.
 */
const WHY: Readonly<Record<string, string>> = Object.freeze({
  customerSummary: 'its recency is days since the last purchase (RFM recency) and T is in days, not t_x and T',
  rfm: 'its recency is days since the last purchase (RFM recency), not the time t_x of the last repeat purchase',
  rfmSummary: 'it is a table of RFM segments, not of customers',
  predictClv: 'it holds predicted values, not the customer histories a model reads',
  lifecycleStage: 'it holds lifecycle stages, not the customer histories a model reads',
});

/**
 * The kind of a summary table a CLV fit or prediction reads, checked by its `clientele.kind` metadata: a table that
 * clientele made for another purpose is refused with the function that makes the right one; a table without the
 * metadata (built by the user) is accepted and read by its column names. Returns the table's time unit
 * (`clientele.unit`), if it carries one.
 *
 * @throws {ClienteleError} `INVALID_INPUT` for a clientele table of another kind
 */
export function summaryUnit(table: Table, fn: string, accepted: readonly string[], maker: string): string | undefined {
  const metadata = table.schema?.metadata;
  const kind = metadata?.get(META.kind);
  if (kind !== undefined && !accepted.includes(kind)) {
    const why = Object.prototype.hasOwnProperty.call(WHY, kind) ? WHY[kind] : 'it was made for another analysis';
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the table is a ${kind} table (found clientele.kind = "${kind}": ${why}); pass ${maker}`,
    );
  }
  return metadata?.get('clientele.unit');
}

/**
 * Checks that a summary is in the time unit a model was fitted in, when both say (the model's `unit`, the table's
 * `clientele.unit`): a model fitted in weeks applied to days predicts for a period seven times too long, and one
 * fitted on calendar weeks (`'calendar week'`: purchase weeks, not purchase days) counts another quantity.
 *
 * @throws {ClienteleError} `INVALID_INPUT` when the units differ
 */
export function checkSameUnit(modelUnit: unknown, tableUnit: string | undefined, fn: string): void {
  if (typeof modelUnit !== 'string' || tableUnit === undefined || modelUnit === tableUnit) return;
  // calendar periods ('calendar week', …) come from the option calendar, continuous days and weeks from unit
  const option = modelUnit.startsWith('calendar ')
    ? `calendar: '${modelUnit.slice('calendar '.length)}'`
    : `unit: '${modelUnit}'`;
  throw new ClienteleError(
    'INVALID_INPUT',
    `${fn}: the model was fitted in ${modelUnit}s but the summary is in ${tableUnit}s (found clientele.unit = ` +
      `"${tableUnit}"); make the summary with summaryFromTransactions(transactions, { ${option} }), or fit ` +
      `the model on this one`,
  );
}
