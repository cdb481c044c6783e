/**
 * A usage error found while a command runs (options that only make sense together, stdin without `--format`):
 * reported as `clientele: <message>` with exit status 2, like the usage errors commander finds while parsing.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
