/** What the repository's command-line tools share when they parse arguments without a library. */

/** A bad command line: the tools print the message and their usage, and exit non-zero. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** The value after `flag` at `index`; a missing value or another option in its place is an error. */
export function valueOf(args: readonly string[], index: number, flag: string): string {
  const value = args[index + 1];
  if (value === undefined || value.startsWith("--")) throw new UsageError(`${flag} needs a value`);
  return value;
}
