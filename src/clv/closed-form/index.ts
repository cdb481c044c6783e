import { discounted } from './discounted';
import { retention } from './retention';
import { simple } from './simple';
export type { SimpleClvOptions } from './simple';
export type { DiscountedClvOptions } from './discounted';
export type { RetentionClvOptions } from './retention';
export type { Timing as ClvTiming } from './params';

/**
 * The closed-form customer lifetime values: `clv.simple` (value × frequency × lifespan × margin),
 * `clv.discounted` (a known horizon, discounted) and `clv.retention` (weighted by retention, finite or infinite
 * horizon). Each takes options of numbers and returns a number, or a table and options naming its columns and
 * returns the table with a `clv` column.
 */
export const clv = Object.freeze({ simple, discounted, retention });
