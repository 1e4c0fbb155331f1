/*
 * The lab's workloads, each defined once as a program and its arguments for a
 * given amount of work, so that every mode runs exactly the same bytecode:
 *   cpu    countdown(units * 1000): a pure compute loop, 1000 iterations a unit;
 *   io     io_wait(units, 1000): a unit is one 1 ms blocking wait (time.sleep);
 *   mixed  mixed(units, 10000, 1000): a unit is a 10 000-iteration countdown
 *          then a 1 ms wait.
 * scripts/gil-workloads.py defines the same units for CPython.
 */
import type { ProgramName } from './programs.js';

export const WORKLOADS = ['cpu', 'io', 'mixed'] as const;
export type Workload = (typeof WORKLOADS)[number];

export interface ProgramCall {
  readonly program: ProgramName;
  readonly args: readonly number[];
}

export const CPU_ITERATIONS_PER_UNIT = 1000;
export const IO_WAIT_US = 1000;
export const MIXED_ITERATIONS_PER_UNIT = 10_000;

/** Units of work per thread when --work is not given: about half a second of work each. */
export const DEFAULT_UNITS: Readonly<Record<Workload, number>> = { cpu: 16_000, io: 500, mixed: 300 };

/** The call that does `units` units of `workload`. */
export function workloadCall(workload: Workload, units: number): ProgramCall {
  switch (workload) {
    case 'cpu':
      return { program: 'countdown', args: [units * CPU_ITERATIONS_PER_UNIT] };
    case 'io':
      return { program: 'ioWait', args: [units, IO_WAIT_US] };
    case 'mixed':
      return { program: 'mixed', args: [units, MIXED_ITERATIONS_PER_UNIT, IO_WAIT_US] };
  }
}

export const DESCRIPTIONS: Readonly<Record<Workload, string>> = {
  cpu: 'CPU-bound',
  io: 'I/O-bound',
  mixed: 'mixed CPU and I/O',
};
