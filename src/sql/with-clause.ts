/** A WITH list from named bodies, each body indented under its name. */
export function withClause(ctes: readonly (readonly [string, string])[]): string {
  return `WITH ${ctes.map(([name, body]) => `${name} AS (\n  ${body.replace(/\n/g, '\n  ')}\n)`).join(',\n')}`;
}
