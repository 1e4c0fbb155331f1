/*
 * A contender in `npm run bench`: a program outside this process (the C pthread
 * bench, the CPython bench, memplay's own pinned-pong child) that takes a
 * measurement name and an operation count on its command line and prints one JSON
 * object per measurement on stdout:
 *
 *   {"measurement": "uncontended", "unit": "ns/pair", "value": 18.2}
 *
 * Every run has a time limit. A contender that cannot run on this machine (no cc,
 * no python3, no taskset) is an answer with the reason, never a failure of the bench.
 */
import { execFile } from 'node:child_process';

export interface Measurement {
  measurement: string;
  unit: string;
  value: number;
}

/** The measurements in a contender's stdout, one JSON object a line; anything else is an error. */
export function parseMeasurements(stdout: string): Measurement[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      let parsed: Partial<Measurement>;
      try {
        parsed = JSON.parse(line) as Partial<Measurement>;
      } catch {
        throw new Error(`not a JSON measurement: ${line.slice(0, 80)}`);
      }
      const { measurement, unit, value } = parsed;
      if (typeof measurement !== 'string' || typeof unit !== 'string' || typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
        throw new Error(`not a measurement (measurement, unit, positive value): ${line.slice(0, 80)}`);
      }
      return { measurement, unit, value };
    });
}

/** Runs `command` (program and arguments) to its end within `timeoutMs`; resolves with its stdout. */
export function runCommand(command: readonly string[], timeoutMs: number): Promise<string> {
  const [file, ...args] = command;
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error === null) resolve(stdout);
      else reject(new Error(failureOf(command, error, stderr, timeoutMs)));
    });
  });
}

function failureOf(command: readonly string[], failure: Error, stderr: string, timeoutMs: number): string {
  const error = failure as NodeJS.ErrnoException & { killed?: boolean };
  const what = command.join(' ');
  if (error.code === 'ENOENT') return `${command[0]} is not on this machine`;
  if (error.killed) return `${what} ran past its ${timeoutMs / 1000} s limit and was stopped`;
  const detail = stderr.trim().split('\n').at(-1) || error.message;
  return `${what} failed: ${detail}`;
}

/** Runs a contender for one measurement and returns its value, checking it measured what was asked in the unit expected. */
export async function measure(command: readonly string[], expected: { measurement: string; unit: string }, timeoutMs: number): Promise<number> {
  const found = parseMeasurements(await runCommand(command, timeoutMs)).find((one) => one.measurement === expected.measurement);
  if (found === undefined) throw new Error(`${command.join(' ')} printed no '${expected.measurement}' measurement`);
  if (found.unit !== expected.unit) throw new Error(`${command.join(' ')} measured ${found.unit}, expected ${expected.unit}`);
  return found.value;
}

/** Whether a command runs and exits 0 within `timeoutMs`: its stdout, or the reason it did not. */
export async function probe(command: readonly string[], timeoutMs = 30_000): Promise<{ ok: true; stdout: string } | { ok: false; reason: string }> {
  try {
    return { ok: true, stdout: await runCommand(command, timeoutMs) };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

/** `command` run with every thread on CPU 0 (taskset -c 0). */
export function onCpu0(command: readonly string[]): string[] {
  return ['taskset', '-c', '0', ...command];
}
