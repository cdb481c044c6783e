/** Types of cases.mjs, for `tsc --noEmit` (the module itself is plain JavaScript shared by Node and Deno). */
export declare function encode(value: unknown, depth?: number): unknown;
export declare function runCases(api: Record<string, unknown>): Promise<Record<string, unknown>>;
