/** Marks a row without a usable date in a column of epoch days (`DateColumn.days`): −2^31, below every real day. */
export const NO_DATE = -2147483648;
