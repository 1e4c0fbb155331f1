/*
 * The process entry of the memplay CLI: runs the program and exits with its code.
 * Exits explicitly, so that a worker left behind by a failed run can never keep
 * the process alive.
 */
import { runCli } from './program.js';

export async function main(args: string[]): Promise<void> {
  const code = await runCli(args);
  process.exitCode = code;
  process.stdout.write('', () => process.exit(code));
}
