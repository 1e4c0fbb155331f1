/*
 * The C contender: bench/contenders/pthread-bench.c, compiled on the fly with the
 * machine's cc (cc -O2 -pthread) into a temporary folder, twice: as it is, and
 * linked with multithreaded-process.c, which makes the process multi-threaded
 * before main (see that file for why the uncontended mutex pair needs it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/package-info.js';
import { onCpu0, probe } from './contender.js';

export type PthreadProcess = 'single-threaded' | 'multi-threaded';

export interface PthreadBench {
  /** The first line of `cc --version`. */
  cc: string;
  folder: string;
  binaries: Record<PthreadProcess, string>;
}

const COMPILE_TIMEOUT_MS = 120_000;

/** Compiles the C contender, or says why it cannot be. */
export async function buildPthreadBench(): Promise<PthreadBench | { unavailable: string }> {
  const version = await probe(['cc', '--version']);
  if (!version.ok) return { unavailable: `no C compiler (${version.reason}): the C column is skipped` };
  const folder = await mkdtemp(join(tmpdir(), 'memplay-bench-'));
  const source = join(packageRoot(), 'bench', 'contenders', 'pthread-bench.c');
  const shim = join(packageRoot(), 'bench', 'lib', 'multithreaded-process.c');
  const binaries = { 'single-threaded': join(folder, 'pthread-bench'), 'multi-threaded': join(folder, 'pthread-bench-mt') };
  for (const [binary, sources] of [
    [binaries['single-threaded'], [source]],
    [binaries['multi-threaded'], [source, shim]],
  ] as const) {
    const compiled = await probe(['cc', '-O2', '-pthread', '-o', binary, ...sources], COMPILE_TIMEOUT_MS);
    if (!compiled.ok) {
      await removePthreadBench(folder);
      return { unavailable: `cc could not build ${source} (${compiled.reason}): the C column is skipped` };
    }
  }
  return { cc: version.stdout.split('\n')[0].trim(), folder, binaries };
}

export function pthreadCommand(bench: PthreadBench, measurement: string, operations: number, pinned: boolean, process: PthreadProcess = 'single-threaded'): string[] {
  const command = [bench.binaries[process], measurement, String(operations)];
  return pinned ? onCpu0(command) : command;
}

export async function removePthreadBench(folder: string): Promise<void> {
  await rm(folder, { recursive: true, force: true });
}
