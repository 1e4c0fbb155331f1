/*
 * Runs `node args...` in a child process without blocking the test's event loop,
 * so that tests whose children mostly wait can run several at once; killed after
 * `timeoutMs` (then its status is null).
 */
import { execFile } from 'node:child_process';

export interface ChildResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runNode(args: string[], timeoutMs = 30_000): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { encoding: 'utf8', timeout: timeoutMs }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      if (error !== null && status === null && !error.killed) reject(error);
      else resolve({ status, stdout, stderr });
    });
  });
}
