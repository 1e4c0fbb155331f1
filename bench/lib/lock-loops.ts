/*
 * The single-thread loops that time memplay's locks against the bare floor of
 * their atomics (bench:sync and bench). Each loop is its own function, used with
 * one kind of object only: a loop shared between, say, Lock and RLock would see
 * two shapes, and V8 would stop inlining the calls.
 */
import { defaultKernel } from '../../src/shm/kernel.js';
import type { Lock } from '../../src/sync/lock.js';
import { regionWords } from '../../src/sync/region-words.js';
import type { RLock } from '../../src/sync/rlock.js';

export const UNCONTENDED_OPERATIONS = 2_000_000;

/** Nanoseconds per operation of `loop`, which performs `operations` of them. */
export function timePerOperation(operations: number, loop: () => void): number {
  const begin = performance.now();
  loop();
  return ((performance.now() - begin) * 1e6) / operations;
}

export type KernelWord = [words: Int32Array, index: number];

/** A kernel word, seen through a fixed-length view of its region or through the length-tracking kernel.words. */
export function kernelWord(view: 'fixed' | 'length-tracking'): KernelWord {
  const kernel = defaultKernel();
  const offset = kernel.alloc(16);
  return view === 'fixed' ? [regionWords(kernel, offset, 16), 0] : [kernel.words, offset >> 2];
}

/** The floor of an uncontended lock pair: Atomics.compareExchange + Atomics.store, on a fixed-length view. */
export function floorOnFixedView([words, index]: KernelWord): number {
  return timePerOperation(UNCONTENDED_OPERATIONS, () => {
    for (let i = 0; i < UNCONTENDED_OPERATIONS; i++) {
      Atomics.compareExchange(words, index, 0, 1);
      Atomics.store(words, index, 0);
    }
  });
}

/** The same pair through the kernel's length-tracking view, which V8 does not inline (region-words.ts). */
export function floorOnKernelWords([words, index]: KernelWord): number {
  return timePerOperation(UNCONTENDED_OPERATIONS, () => {
    for (let i = 0; i < UNCONTENDED_OPERATIONS; i++) {
      Atomics.compareExchange(words, index, 0, 1);
      Atomics.store(words, index, 0);
    }
  });
}

export function lockPairs(lock: Lock): number {
  return timePerOperation(UNCONTENDED_OPERATIONS, () => {
    for (let i = 0; i < UNCONTENDED_OPERATIONS; i++) {
      lock.acquire();
      lock.release();
    }
  });
}

export function rlockPairs(rlock: RLock): number {
  return timePerOperation(UNCONTENDED_OPERATIONS, () => {
    for (let i = 0; i < UNCONTENDED_OPERATIONS; i++) {
      rlock.acquire();
      rlock.release();
    }
  });
}
