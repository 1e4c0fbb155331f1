/*
 * A module's global variables in shared memory: the part of a CPython module's
 * __dict__ the lab's programs use (`done`, `counter`), one Int32 word each, so
 * that every thread running the module reads and writes the same variables.
 * LOAD_GLOBAL and STORE_GLOBAL (eval-loop.ts) are one atomic load or store each:
 * a single bytecode is indivisible, as under the GIL.
 *
 * Layout: `count` Int32 words in a kernel region, global i at word i.
 */
import { defaultKernel, openRegion, type RegionHandle } from '../shm/kernel.js';
import type { Globals } from './eval-loop.js';
import { regionWords } from '../sync/region-words.js';

export interface ModuleGlobalsHandle extends RegionHandle {
  readonly kind: 'module-globals';
  readonly count: number;
}

export class ModuleGlobals implements Globals {
  readonly handle: ModuleGlobalsHandle;
  readonly words: Int32Array;
  readonly base: number;

  /** `count` new globals, all 0; or, given a handle, the ones it names. */
  constructor(countOrHandle: number | ModuleGlobalsHandle = 4) {
    const handle = typeof countOrHandle === 'number' ? undefined : countOrHandle;
    const count = handle?.count ?? (countOrHandle as number);
    const bytes = Math.max(16, count * 4);
    const region = openRegion<ModuleGlobalsHandle>('module-globals', bytes, handle, { count });
    this.handle = region.handle;
    this.words = regionWords(region.kernel, region.handle.offset, bytes);
    this.base = 0;
  }

  get(index: number): number {
    return Atomics.load(this.words, this.base + index);
  }

  set(index: number, value: number): void {
    Atomics.store(this.words, this.base + index, value);
  }

  /** Gives the region back to the kernel; do it once, when no thread uses the globals any more. */
  free(): void {
    defaultKernel().free(this.handle.offset);
  }
}
