/*
 * No GIL: the interpreter lock of a free-threaded CPython (3.13t, PEP 703), where
 * threads run bytecode in parallel. take() and drop() do nothing, and the eval
 * breaker is a word of this thread's own that nobody ever sets, so the eval loop
 * pays the same one atomic load per check as under a GIL and the modes compare
 * like for like. (Free-threaded CPython pays for its safety elsewhere: biased and
 * atomic reference counts, per-object locks, mimalloc; the refcount-race and
 * allocator-race scenarios measure those costs.)
 */
import { defaultKernel } from '../shm/kernel.js';
import { regionWords } from '../sync/region-words.js';
import type { InterpreterLock } from './interpreter-lock.js';

const BREAKER_BYTES = 16;

export class NoGil implements InterpreterLock {
  /** The breaker: a word of the kernel that is this thread's own (so reading it costs what reading the GIL's does). */
  readonly words: Int32Array;
  readonly breaker = 0;

  constructor() {
    const kernel = defaultKernel();
    this.words = regionWords(kernel, kernel.alloc(BREAKER_BYTES), BREAKER_BYTES);
  }

  take(): void {}

  drop(): void {}

  handleDropRequest(): void {}

  isHeld(): boolean {
    return false;
  }
}
