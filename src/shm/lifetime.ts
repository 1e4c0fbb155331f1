/*
 * Lifetimes of shared objects: the references a JavaScript object holds to kernel
 * regions, dropped once, by close() / [Symbol.dispose] or, as a backstop, when the
 * object is garbage-collected. CPython counterparts: a multiprocessing object's
 * heap block freed by its finalizer (multiprocessing.heap.BufferWrapper and
 * util.Finalize), and shm_unlink/munmap for segments.
 *
 * Algorithm: every region carries a reference count (region.ts), one per attached
 * object in any thread. An object's Lifetime holds a `drop` function that releases
 * what the object holds: its own region's reference, and its parts (a Value's
 * RLock, a Condition's lock, a Barrier's Condition), which it closes in turn. The
 * region is freed when the last reference goes. `drop` is registered with a
 * FinalizationRegistry; it never refers to the object itself, only to what it
 * holds, so the object can be collected. close() unregisters it and calls it, once.
 * Closable is what every such object extends: it keeps the Lifetime and gives the
 * object `closed`, close() (its onClose hook first, for the views, then the drop;
 * the first time only) and [Symbol.dispose].
 * An object made inside a run's scope (run-scope.ts) is held by the run until it
 * ends, and closed then.
 */
import { kernelOf, type Kernel, type RegionHandle } from './kernel.js';
import type { RegionKind } from './region.js';
import { adoptIntoOpenScope } from './run-scope.js';

const finalizers = new FinalizationRegistry<() => void>((drop) => drop());

export class Lifetime {
  #drop: (() => void) | null;

  /** `drop` releases what `owner` holds; it runs at close(), or when `owner` is collected. */
  constructor(owner: object, drop: () => void) {
    this.#drop = drop;
    finalizers.register(owner, drop, this);
    adoptIntoOpenScope(owner);
  }

  get closed(): boolean {
    return this.#drop === null;
  }

  /** Releases what the owner holds, the first time only; returns whether this call did. */
  close(): boolean {
    const drop = this.#drop;
    if (drop === null) return false;
    this.#drop = null;
    finalizers.unregister(this);
    drop();
    return true;
  }
}

/** An object that holds kernel memory until closed (or collected): see the opening comment. */
export abstract class Closable implements Disposable {
  #lifetime!: Lifetime;

  /** Called once by the constructor, when the object holds what `drop` releases. */
  protected takeLifetime(drop: () => void): void {
    this.#lifetime = new Lifetime(this, drop);
  }

  get closed(): boolean {
    return this.#lifetime.closed;
  }

  /** Releases what this object holds, after onClose(), the first time only; closing twice is harmless. */
  close(): void {
    if (this.closed) return;
    try {
      this.onClose();
    } finally {
      this.#lifetime.close();
    }
  }

  /** What a subclass does at the first close(), before the drop: point its views at closedWords(), drop them. */
  protected onClose(): void {}

  [Symbol.dispose](): void {
    this.close();
  }
}

/** A drop function for one reference to the region a handle names. */
export function regionReference(kernel: Kernel, handle: RegionHandle): () => void {
  const { offset, serial } = handle;
  return () => {
    kernel.release(offset, serial);
  };
}

/** Takes one more reference to the region of an object this thread has (a part it was given); returns its drop. */
export function holdRegion(handle: RegionHandle): () => void {
  const kernel = kernelOf(handle);
  kernel.attachRegion(handle, handle.kind as RegionKind, 0);
  return regionReference(kernel, handle);
}

/**
 * What a closed object's views point at: four words of private, unshared memory
 * (Atomics work on it; Atomics.wait does not, so the closed object's blocking
 * paths check `closed` first and raise ValueError).
 */
export function closedWords(): Int32Array {
  return new Int32Array(4);
}
