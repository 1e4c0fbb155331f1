/*
 * Run scopes: the shared objects a run makes live exactly as long as the run.
 * CPython's nearest counterpart is multiprocessing's resource_tracker, which at
 * the end of a program unlinks the shared memory it leaked; here the end of a
 * run (finished, failed, hung or terminated) plays the end of the program.
 *
 * Algorithm: a scope is open on this thread only inside scope.during(fn), which
 * is synchronous, so nothing another async task allocates meanwhile is counted.
 * The open scope is kept on globalThis, so that a scenario that loaded another
 * copy of memplay's modules (the compiled one, through `import 'memplay'`) still
 * allocates into it.
 * While it is open:
 *   - every object that takes a Lifetime (lifetime.ts) is held strongly by the
 *     scope, so garbage collection cannot free its region while workers still
 *     use its handle (a handle alone keeps nothing alive);
 *   - every region the kernel allocates on this thread is recorded by offset and
 *     serial (the thread's own waiter slots excepted: they outlive any run).
 * end() comes once the run's workers have finished or been terminated. It calls
 * each held object's [endOfRun] hook, where it has one (a Condition frees the
 * slots of waiters whose thread was terminated, a SharedMemory the run created is
 * unlinked), then closes each (its own close(), which also makes its views
 * private), then frees every
 * recorded region that is still live with its serial, whatever references are
 * left on it: they are attachments by workers whose task is over. A region freed
 * meanwhile, and perhaps reused, has a new serial and is left alone.
 * outsideRunScope(fn) makes something no scope holds or frees: what must outlive
 * the thread that made it (a Python process's SharedMemory, which other
 * processes keep open), whose owner closes it itself.
 */
import type { Kernel } from './kernel.js';

/**
 * A method an object may have for the end of its run, called before any object of
 * the run is closed (while every region is still there): let go of what the run's
 * dead threads left behind, unlink a name the run made.
 */
export const endOfRun: unique symbol = Symbol.for('memplay.endOfRun');

interface Recorded {
  readonly kernel: Kernel;
  readonly offset: number;
  readonly serial: number;
}

/** The open scope's slot, one per thread whatever the number of copies of this module. */
const OPEN_SCOPE = Symbol.for('memplay.openRunScope');
const slot = globalThis as { [OPEN_SCOPE]?: ScopeSink };

/** What any copy of this module records into. */
interface ScopeSink {
  adopt(owner: object): void;
  record(kernel: Kernel, offset: number, serial: number): void;
}

export class RunScope implements ScopeSink {
  readonly #owners: object[] = [];
  readonly #regions: Recorded[] = [];
  #ended = false;

  /** Runs `allocate` with this scope open: what it makes belongs to the run. */
  during<T>(allocate: () => T): T {
    if (this.#ended) throw new Error('this run scope has ended');
    const outer = slot[OPEN_SCOPE];
    slot[OPEN_SCOPE] = this;
    try {
      return allocate();
    } finally {
      slot[OPEN_SCOPE] = outer;
    }
  }

  /** Closes what the run made and frees its regions; later calls do nothing. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    const owners = this.#owners.splice(0).reverse();
    for (const owner of owners) settle(owner, endOfRun);
    for (const owner of owners) settle(owner, 'close');
    for (const { kernel, offset, serial } of this.#regions.splice(0)) kernel.freeIfLive(offset, serial);
  }

  adopt(owner: object): void {
    this.#owners.push(owner);
  }

  record(kernel: Kernel, offset: number, serial: number): void {
    this.#regions.push({ kernel, offset, serial });
  }
}

/**
 * Runs `make` with no scope open on this thread: what it makes is neither held
 * nor freed by the scope, and lives by its references alone (a segment that
 * other processes of a run keep open after the one that made it has ended).
 */
export function outsideRunScope<T>(make: () => T): T {
  const outer = slot[OPEN_SCOPE];
  slot[OPEN_SCOPE] = undefined;
  try {
    return make();
  } finally {
    slot[OPEN_SCOPE] = outer;
  }
}

/** Called by Lifetime: the open scope, if any, keeps `owner` until the run ends. */
export function adoptIntoOpenScope(owner: object): void {
  slot[OPEN_SCOPE]?.adopt(owner);
}

/** Called by the kernel for each region it allocates on this thread. */
export function recordInOpenScope(kernel: Kernel, offset: number, serial: number): void {
  slot[OPEN_SCOPE]?.record(kernel, offset, serial);
}

/** Calls owner[method]() if it has one; an object a user left in an odd state is still freed, by its region. */
function settle(owner: object, method: typeof endOfRun | 'close'): void {
  const callable = (owner as Record<typeof method, unknown>)[method];
  if (typeof callable !== 'function') return;
  try {
    callable.call(owner);
  } catch {
    // Nothing to report to: the run is over, and end() frees the region whatever happened here.
  }
}
