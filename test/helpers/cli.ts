/*
 * Runs the built memplay CLI (bin/memplay.js, which loads dist/) as a user would,
 * in a child process bounded by a timeout.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runNode, type ChildOptions } from './child-node.js';

const bin = fileURLToPath(new URL('../../bin/memplay.js', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Where and with what environment the CLI runs (default: this process's working directory and environment). */
export interface CliOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** What the CLI reads on its stdin (default: nothing, end of file). */
  readonly input?: string;
}

/** Runs `memplay args...`. */
export function memplay(args: string[], timeoutMs = 60_000, options: CliOptions = {}): CliResult {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: timeoutMs, ...options });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * `memplay args...` without blocking the test's event loop: tests whose runs are
 * deterministic (explore's searches) or mostly wait can overlap (it.concurrent),
 * so both cores work even while the file runs beside just one other.
 */
export function memplayAsync(args: string[], timeoutMs = 60_000, options: ChildOptions = {}): Promise<CliResult> {
  return runNode([bin, ...args], timeoutMs, options);
}

/** The result of a usage error: exit 2, nothing on stdout, one line on stderr. */
export function expectUsageError(result: CliResult): string {
  if (result.status !== 2) throw new Error(`expected exit code 2, got ${result.status}: ${result.stderr}`);
  if (result.stdout !== '') throw new Error(`expected nothing on stdout, got ${JSON.stringify(result.stdout)}`);
  const lines = result.stderr.trimEnd().split('\n');
  if (lines.length !== 1 || !lines[0].startsWith('memplay: ')) throw new Error(`expected one 'memplay: ' line on stderr, got ${JSON.stringify(result.stderr)}`);
  return lines[0];
}

/**
 * Runs `memplay run script... --timeout 5` on a script that never ends. Its timeout covers the
 * interpreters' start-up, so on a loaded machine a process may not have reached the line it blocks
 * at within 5 s ("running (not blocked on a shared object)"): then it runs once more with 40 s.
 * Resolves to the result and the timeout it had (without blocking: such runs mostly wait, and can overlap).
 */
export async function hungPythonRun(args: string[]): Promise<{ result: CliResult; seconds: number }> {
  const attempt = async (seconds: number) => ({ result: await memplayAsync(['run', ...args, '--timeout', String(seconds)], 120_000), seconds });
  const first = await attempt(5);
  return first.result.stderr.includes(': running (not blocked') ? attempt(40) : first;
}
