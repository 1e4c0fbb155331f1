/*
 * The process entry of the memplay CLI: runs the program and exits with its code.
 * Exits explicitly, so that a worker left behind by a failed run can never keep
 * the process alive.
 */
import { runCli } from './program.js';

export async function main(args: string[]): Promise<void> {
  exitQuietlyWhenStdoutCloses();
  const code = await runCli(args);
  process.exitCode = code;
  process.stdout.write('', () => process.exit(code));
}

/** `memplay run … | head`: a reader that stops reading ends the output, not with a stack trace (as a shell tool would). */
function exitQuietlyWhenStdoutCloses(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}
