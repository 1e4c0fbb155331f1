/*
 * The shared objects a Python process sees, on the JavaScript side of its
 * interpreter: a table of memplay objects (src/mp, src/sync) by small integer id,
 * which the Python shim (shim/multiprocessing/__init__.py) holds in its wrappers.
 * (a Queue's buffer is a SharedMemory block.) Python creates (`create`), attaches (`attach`, from a handle that travelled in a
 * pickle), reads and writes attributes (`get`, `set`) and calls methods (`call`);
 * every operation is one call into memplay's own object, so a synchronized Value's
 * `v.value += 1` is a locked read and a separately locked write, as in CPython.
 *
 * Segments (a SharedMemory a script opens by name, an mmap of a real file) are
 * opened apart (`open`): outside the process's run scope, because other
 * processes may hold them after this one ends, as in CPython a block outlives its
 * creator until unlinked and a file's pages outlive any one mapping. Each lives
 * by its references; `closeSegments()` drops this process's at its end (an mmap
 * writes its bytes back to the file then), and the run's end unlinks the names
 * left (run-script.ts).
 *
 * Handles cross the pickle as JSON: the kernel's SharedArrayBuffer (each handle's
 * `buffer`, nested in a Value's lock or a Condition's) is left out when a handle is
 * written and put back, this thread's kernel's, when it is read, so attach()
 * checks the rest of the handle against the kernel as for any other handle.
 */
import { attach } from '../attach.js';
import { defaultKernel } from '../shm/kernel.js';
import { Barrier } from '../sync/barrier.js';
import { Condition } from '../sync/condition.js';
import { Event } from '../sync/event.js';
import { Lock } from '../sync/lock.js';
import { RLock } from '../sync/rlock.js';
import { BoundedSemaphore, Semaphore } from '../sync/semaphore.js';
import { SharedValue } from '../mp/value.js';
import { SharedTypedArray } from '../mp/shared-array.js';
import { SharedMemory } from '../mp/shared-memory.js';
import { MemoryMap, type Access } from '../mp/mmap.js';
import { outsideRunScope } from '../shm/run-scope.js';
import type { Typecode } from '../mp/typecodes.js';

type Maker = (...args: never[]) => object;

/** The constructors Python may call by kind name, with Python's arguments in order. */
const MAKERS: Record<string, Maker> = {
  Value: (typecode: Typecode, initial: number, lock: object | boolean) => new SharedValue(typecode, initial, { lock: lock as never }),
  Array: (typecode: Typecode, sizeOrValues: number | number[], lock: object | boolean) => new SharedTypedArray(typecode, sizeOrValues, { lock: lock as never }),
  Lock: () => new Lock(),
  RLock: () => new RLock(),
  Semaphore: (value: number) => new Semaphore(value),
  BoundedSemaphore: (value: number) => new BoundedSemaphore(value),
  Condition: (lock: Lock | RLock | null) => new Condition(lock ?? undefined),
  Event: () => new Event(),
  Barrier: (parties: number, timeout: number | null) => new Barrier(parties, { timeout }),
  SharedMemory: (size: number) => new SharedMemory({ create: true, size }),
};

/** The segments Python opens, by kind: a SharedMemory by name (or a new one), a real file's mapping. */
const SEGMENT_OPENERS: Record<string, (...args: never[]) => SharedMemory | MemoryMap> = {
  SharedMemory: (name: string | null, create: boolean, size: number) => new SharedMemory({ name: name ?? undefined, create, size }),
  mmap: (path: string, length: number, access: Access) => new MemoryMap(path, length, { access }),
};

export class SharedObjects {
  readonly #objects = new Map<number, object>();
  readonly #segments: (SharedMemory | MemoryMap)[] = [];
  #nextId = 1;

  /** A new object of `kind`; arguments that are ids (`{ id }`) stand for objects of this table. */
  create(kind: string, args: unknown[]): number {
    const make = MAKERS[kind];
    if (make === undefined) throw new TypeError(`memplay cannot make a ${kind}`);
    return this.#add(make(...(args.map((arg) => this.#resolve(arg)) as never[])));
  }

  /** Opens a segment of `kind` (SEGMENT_OPENERS) outside the run scope: see the module comment. */
  open(kind: string, args: unknown[]): number {
    const opener = SEGMENT_OPENERS[kind];
    if (opener === undefined) throw new TypeError(`memplay cannot open a ${kind}`);
    const segment = outsideRunScope(() => opener(...(args as never[])));
    this.#segments.push(segment);
    return this.#add(segment);
  }

  /** Closes every segment this process left open (an mmap flushes to its file as it closes). */
  closeSegments(): void {
    for (const segment of this.#segments.splice(0)) {
      try {
        segment.close();
      } catch {
        // The file went away or cannot be written: the mapping is released all the same.
      }
    }
  }

  /** Drops every object (the process ended): a wrapper its interpreter kept can no longer reach one. */
  clear(): void {
    this.#objects.clear();
  }

  /** The object a handle (JSON, as `handle()` wrote it) names, attached in this thread. */
  attach(json: string): number {
    return this.#add(attach(withBuffer(JSON.parse(json)) as never) as object);
  }

  /** The handle of object `id`, as JSON without the kernel's buffer. */
  handle(id: number): string {
    return JSON.stringify((this.#object(id) as { handle: unknown }).handle, (key, value) => (key === 'buffer' ? undefined : value));
  }

  /** The kind of object `id`'s handle ('Lock', 'RLock', 'Value', ...). */
  kind(id: number): string {
    return (this.#object(id) as { handle: { kind: string } }).handle.kind;
  }

  /** (JavaScript's null is answered as undefined, which Python sees as None.) */
  get(id: number, name: string): unknown {
    return (this.#object(id) as Record<string, unknown>)[name] ?? undefined;
  }

  set(id: number, name: string, value: unknown): void {
    (this.#object(id) as Record<string, unknown>)[name] = value;
  }

  call(id: number, method: string, args: unknown[]): unknown {
    const target = this.#object(id) as Record<string, (...args: unknown[]) => unknown>;
    const result = target[method](...args.map((arg) => this.#resolve(arg)));
    return isSharedObject(result) ? this.#add(result) : (result ?? undefined);
  }

  #add(object: object): number {
    const id = this.#nextId++;
    this.#objects.set(id, object);
    return id;
  }

  #object(id: number): object {
    const object = this.#objects.get(id);
    if (object === undefined) throw new TypeError(`no shared object ${id} in this process`);
    return object;
  }

  #resolve(arg: unknown): unknown {
    if (arg !== null && typeof arg === 'object' && 'id' in arg && Object.keys(arg).length === 1) return this.#object((arg as { id: number }).id);
    return arg;
  }
}

/** An object a method returned that Python should hold by id (a Value's lock), rather than as a value. */
function isSharedObject(value: unknown): value is object {
  return value !== null && typeof value === 'object' && 'handle' in value;
}

/** A handle read from JSON with this thread's kernel buffer put back at every level. */
function withBuffer(handle: unknown): unknown {
  if (handle === null || typeof handle !== 'object') return handle;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(handle)) copy[key] = withBuffer(value);
  if ('kind' in copy && 'offset' in copy && 'serial' in copy) copy.buffer = defaultKernel().buffer;
  return copy;
}
