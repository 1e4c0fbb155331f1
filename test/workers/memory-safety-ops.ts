// Worker-side code for the memory-safety tests: each export runs inside a real worker thread.
import { attach, type Handle } from '../../src/attach.js';
import { defaultKernel } from '../../src/shm/kernel.js';
import { Value, type ValueHandle } from '../../src/mp/value.js';

/** What attach() does with `handle` here: the error's name and message, or 'attached'. */
export function attachOutcome(handle: Handle): string {
  try {
    const object = attach(handle) as { close?: () => void };
    object.close?.();
    return 'attached';
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

/**
 * The repro: a forged Value over the kernel lock's word (byte 8), written;
 * then an ordinary allocation, which hung before the fix. Returns the forged attach's outcome.
 */
export function forgeOverKernelLock(): string {
  const forged = { kind: 'Value', kernel: defaultKernel().id, offset: 8, serial: 1, typecode: 'i', lock: null } as unknown as ValueHandle;
  const outcome = attachOutcome(forged);
  Value('i', 1).close();
  return outcome;
}

/** Attaches a Value, adds `delta` under its lock, and closes it (dropping this worker's references). */
export function addAndClose(handle: ValueHandle<'i'>, delta: number): void {
  using value = attach(handle);
  using _ = value.getLock().hold();
  value.value = (value.value as number) + delta;
}
