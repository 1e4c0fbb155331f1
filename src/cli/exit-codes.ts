/*
 * The exit codes of the memplay command (what `memplay --help` lists), in a leaf
 * module so that the commands can name them without importing the program
 * (src/cli/program.ts imports every command).
 */
/** The run was clean. */
export const EXIT_OK = 0;
/** A FORBIDDEN outcome, a violation, a deadlock, or a failure in the user's file. */
export const EXIT_FAILED = 1;
/** A mistake in the command line: one line on stderr. */
export const EXIT_USAGE = 2;
