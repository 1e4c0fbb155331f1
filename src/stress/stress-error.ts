/*
 * A mistake in what a stress run was asked to do (an unknown target, a file that
 * is not a target, too few workers for a target, --kill-holder on a target with
 * no lock). The CLI turns it into one line on stderr and exit code 2.
 */
export class StressError extends Error {
  override readonly name = 'StressError';
}
