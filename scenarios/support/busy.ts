/*
 * Busy work for scenarios: what a Python snippet's "do something slow here"
 * stands for. It spins on the clock rather than sleeping, so the worker keeps
 * its core, the way a CPU-bound Python process would.
 */

/** Spins for about `microseconds`; returns how many clock reads it took (so the loop is never dead code). */
export function busyFor(microseconds: number): number {
  const end = performance.now() + microseconds / 1000;
  let reads = 1;
  while (performance.now() < end) reads++;
  return reads;
}
