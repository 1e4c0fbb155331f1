/*
 * A mistake in what the user typed or gave (an unknown scenario, a bad number, a
 * missing file). The CLI prints its message as one line on stderr and exits 2;
 * it never prints a stack trace for one.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
