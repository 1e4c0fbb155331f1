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

/** Where and with what environment the child runs (default: this process's). */
export interface ChildOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export function runNode(args: string[], timeoutMs = 30_000, options: ChildOptions = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, ...options }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      if (error !== null && status === null && !error.killed) reject(error);
      else resolve({ status, stdout, stderr });
    });
  });
}
