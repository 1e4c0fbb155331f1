/*
 * PyHeap: one simulated CPython heap (an interpreter's memory), driven through a
 * small API that mirrors what Python code does: make objects, bind and unbind
 * names, call and return, mutate containers, collect, trace, and read every
 * number (refcounts, sizes, addresses, pools, arenas, GC counts).
 *
 * References follow the C API: every method that makes an object returns a NEW
 * reference the caller owns (drop it with decref, or give it to `assign`, which
 * takes it over as STORE_NAME does); `load`, `getItem` and `getAttr` return
 * BORROWED references; container mutators (append, setItem, add, setAttr) take
 * their own references, as PyList_Append does. A reference is the object's id, a
 * plain number, valid in every worker that attached the heap.
 *
 * All state is in shared memory (memory.ts), so `attach(heap.handle)` (or `new
 * PyHeap(heap.handle)`) in another worker drives the same heap. The model takes
 * no lock: driving a heap from two workers at once races exactly where CPython
 * without its GIL would.
 *
 * Lifetime (shm/lifetime.ts): each PyHeap object holds one reference to the heap's
 * region; close() (or `using`) drops it, and the last one frees the region,
 * every pool's links and the chunked columns' chunks. destroy() frees them at once, whatever other workers hold.
 */
import { ValueError } from '../errors.js';
import { refuseControlledRun } from '../atomics/scheduling-point.js';
import { byteArrayAppend, newByteArray } from './bytearray.js';
import { childAt, childCount } from './children.js';
import { clearContainer } from './clear.js';
import { pyEquals } from './compare.js';
import { dictDelItem, dictGetItem, dictSetItem, newDict } from './dict.js';
import { AttributeError, KeyError } from './errors.js';
import { evaluateInOneCompilation, evaluateLiteral } from './evaluate.js';
import { bindName, frameAt, frameDepth, lookupName, popFrame, pushFrame, setLine, setRecursionLimit, unbindName, initThreads } from './frames.js';
import { collect, gcStats, generationObjects, type GenerationStats } from './gc.js';
import { initGcLists, isTracked } from './gc-lists.js';
import { byteArrayAlloc } from './growth.js';
import { findInterned, intern } from './interning.js';
import { deleteAttribute, getAttribute, newClass, newFunction, newInstance, setAttribute } from './instance.js';
import { listAppend, listExtend, listPop, listSetItem, newList, newTuple, sequenceItem } from './list.js';
import { mallocStats, type MallocStats } from './malloc-stats.js';
import {
  DEFAULT_DIMENSIONS,
  H_GC_COUNT,
  H_GC_ENABLED,
  H_GC_THRESHOLD,
  H_GLOBALS,
  H_CHUNK_BYTES,
  H_LINK_BYTES,
  H_LIVE,
  H_LONG_LIVED_PENDING,
  H_LONG_LIVED_TOTAL,
  H_MEMORY_BYTES,
  H_NONE,
  H_RECURSION_LIMIT,
  H_TRACING,
  HeapMemory,
  type HeapDimensions,
  type PyHeapHandle,
} from './memory.js';
import { newBool, newComplex, newFloat, newInt } from './numbers.js';
import { B_ADDR, B_TRACE, BA_ALLOC, BA_BYTES, getsizeof, newObject } from './objects.js';
import { initObmalloc, objectRealloc } from './obmalloc.js';
import { DEFAULT_PROFILE, type PythonProfile } from './profile.js';
import { decref, incref } from './refcount.js';
import { newSet, setAdd, setDiscard } from './set.js';
import { initStatics, staticRef } from './statics.js';
import { storeAlloc, storeGrow } from './store.js';
import { reprOf, valueOf, type PyValue } from './repr.js';
import { takeSnapshot, type Snapshot } from './tracemalloc.js';
import { currentTrace } from './trace-context.js';
import { newBytes, newStr, textOf } from './unicode.js';
import { F_STATIC, isImmutableType, T, TYPE_NAMES } from './types.js';
import { registerHandleKind } from '../shm/handle-kinds.js';
import { Closable } from '../shm/lifetime.js';

/** A reference to a model object: its id. */
export type PyRef = number;

export interface PyHeapOptions extends Partial<HeapDimensions> {
  profile?: PythonProfile;
}

export type { PyValue };

export class PyHeap extends Closable {
  readonly memory: HeapMemory;
  readonly #capacity: number;

  /** A new heap (options: capacity, maxArenas, ...), or the heap a handle names. */
  constructor(optionsOrHandle: PyHeapOptions | PyHeapHandle = {}) {
    super();
    refuseControlledRun("the memory model's heap operations are no scheduling points");
    const attaching = optionsOrHandle !== null && typeof optionsOrHandle === 'object' && 'kind' in optionsOrHandle;
    this.memory = attaching ? HeapMemory.attach(optionsOrHandle as PyHeapHandle) : newHeapMemory(optionsOrHandle as PyHeapOptions);
    const memory = this.memory;
    this.#capacity = memory.handle.capacity;
    this.takeLifetime(() => memory.dropReference());
  }

  get handle(): PyHeapHandle {
    return this.memory.handle;
  }

  get profile(): PythonProfile {
    return this.memory.profile;
  }

  /** Returns the heap's memory to the kernel now, whatever other workers hold (do it once, when all are done). */
  destroy(): void {
    this.close();
    this.memory.release();
  }

  /** Which thread slot (frame stack) this worker's calls and bindings use (default 0). */
  useThread(thread: number): this {
    if (!Number.isInteger(thread) || thread < 0 || thread >= this.handle.threads) {
      throw new ValueError(`thread ${thread} does not exist: this heap has thread slots 0..${this.handle.threads - 1}`);
    }
    this.memory.currentThread = thread;
    return this;
  }

  // ---- making objects (new references) ----

  none(): PyRef {
    return staticRef(this.memory, this.memory.header[H_NONE]);
  }

  bool(value: boolean): PyRef {
    return newBool(this.memory, value);
  }

  int(value: number | bigint): PyRef {
    return newInt(this.memory, value);
  }

  float(value: number): PyRef {
    return newFloat(this.memory, value);
  }

  complex(real: number, imag: number): PyRef {
    return newComplex(this.memory, real, imag);
  }

  str(text: string): PyRef {
    return newStr(this.memory, text);
  }

  bytes(values: ArrayLike<number>): PyRef {
    return newBytes(this.memory, values);
  }

  /** bytearray(values): an exact buffer of len + 1 bytes (bytearray(0) has none). */
  bytearray(values: ArrayLike<number> = []): PyRef {
    return newByteArray(this.memory, values);
  }

  /** A tuple that steals the references in `items`. */
  tuple(items: PyRef[]): PyRef {
    return newTuple(this.memory, items);
  }

  /** A list (PyList_New(n)) that steals the references in `items`. */
  list(items: PyRef[] = []): PyRef {
    return newList(this.memory, items);
  }

  /** A dict filled by inserting the pairs in order (the dict takes its own references). */
  dict(pairs: [PyRef, PyRef][] = []): PyRef {
    const id = newDict(this.memory);
    for (const [key, value] of pairs) dictSetItem(this.memory, id, key, value);
    return id;
  }

  /** A set filled by adding the items in order (the set takes its own references). */
  set(items: PyRef[] = []): PyRef {
    const id = newSet(this.memory, T.Set);
    for (const item of items) setAdd(this.memory, id, item);
    return id;
  }

  frozenset(items: PyRef[] = []): PyRef {
    const id = newSet(this.memory, T.FrozenSet);
    for (const item of items) setAdd(this.memory, id, item);
    return id;
  }

  /** class Name: ... (with __slots__ when `slots` is given). */
  defineClass(name: string, options: { slots?: string[] } = {}): PyRef {
    const slots = options.slots?.map((slot) => this.#name(slot)) ?? null;
    return newClass(this.memory, this.#name(name), slots);
  }

  /** cls(): an instance (the class gains a reference). */
  instance(cls: PyRef): PyRef {
    if (this.memory.type[cls] !== T.Type) throw new TypeError(`'${this.typeName(cls)}' object is not callable`);
    return newInstance(this.memory, cls);
  }

  /** def name(): ... */
  function(name: string): PyRef {
    return newFunction(this.memory, this.#name(name));
  }

  /**
   * A model object for a JS value, built by calling constructors (list() then
   * appends are not what a display does: use `literal` for displays). null is None,
   * arrays are lists (PyList_New(n)), { tuple: [...] } a tuple, Sets sets, Maps and
   * plain objects dicts (inserted in order), numbers ints when integral else floats.
   */
  fromValue(value: PyValue): PyRef {
    if (value === null) return this.none();
    if (typeof value === 'boolean') return this.bool(value);
    if (typeof value === 'bigint') return this.int(value);
    if (typeof value === 'number') return Number.isInteger(value) && !Object.is(value, -0) ? this.int(value) : this.float(value);
    if (typeof value === 'string') return this.str(value);
    if (value instanceof Uint8Array) return this.bytes(value);
    if (Array.isArray(value)) return this.list(value.map((item) => this.fromValue(item)));
    if (value instanceof Set) return this.#filled(this.set(), [...value], (id, item) => setAdd(this.memory, id, item));
    if (!(value instanceof Map) && Array.isArray(value.tuple)) return this.tuple((value.tuple as PyValue[]).map((item) => this.fromValue(item)));
    const pairs: [PyValue, PyValue][] = value instanceof Map ? [...value] : Object.entries(value);
    const dict = newDict(this.memory);
    for (const [key, item] of pairs) {
      const k = this.fromValue(key);
      const v = this.fromValue(item);
      dictSetItem(this.memory, dict, k, v);
      this.decref(k);
      this.decref(v);
    }
    return dict;
  }

  #filled(id: PyRef, items: PyValue[], add: (id: PyRef, item: PyRef) => void): PyRef {
    for (const item of items) {
      const ref = this.fromValue(item);
      add(id, ref);
      this.decref(ref);
    }
    return id;
  }

  /** The value of a Python expression (a literal display, an operation, a builtin call, a comprehension), built as CPython 3.11 builds it (see evaluate.ts). */
  literal(source: string): PyRef {
    return evaluateLiteral(this.memory, source);
  }

  /**
   * The values of several expressions compiled together, as the statements of one
   * module (`a = 257; b = 257`): equal constants among them are one object. Each
   * call is a new compilation.
   */
  compile(sources: string[]): PyRef[] {
    return evaluateInOneCompilation(this.memory, sources);
  }

  /** sys.intern(s): steals `s`, returns a new reference to the interned equal str. */
  intern(s: PyRef): PyRef {
    if (this.memory.type[s] !== T.Str) throw new TypeError(`intern() argument must be str, not ${this.typeName(s)}`);
    return intern(this.memory, s, (dropped) => this.decref(dropped));
  }

  // ---- reference counts ----

  incref(obj: PyRef): void {
    this.#alive(obj);
    incref(this.memory, obj);
  }

  /** Drops a reference; the object is deallocated at once when it was the last. */
  decref(obj: PyRef): void {
    this.#alive(obj);
    decref(this.memory, obj);
  }

  /** ob_refcnt. */
  refcount(obj: PyRef): number {
    this.#alive(obj);
    return this.memory.refcnt[obj];
  }

  /** sys.getrefcount(obj): one more than ob_refcnt, for the call's own argument. */
  getrefcount(obj: PyRef): number {
    return this.refcount(obj) + 1;
  }

  isAlive(obj: PyRef): boolean {
    return Number.isInteger(obj) && obj > 0 && obj < this.#capacity && this.memory.type[obj] !== T.Free;
  }

  /** Calls `listener(id)` as each object starts to be deallocated (in this worker); undefined stops it. */
  onDealloc(listener: ((obj: PyRef) => void) | undefined): void {
    this.memory.onDealloc = listener;
  }

  // ---- names and frames ----

  /** name = obj, in the current frame (globals at module level). Steals the reference. */
  assign(name: string, obj: PyRef): void {
    this.#alive(obj);
    const key = this.#name(name);
    bindName(this.memory, this.memory.currentThread, key, obj);
    this.decref(key);
  }

  /** The object bound to `name` (a borrowed reference); NameError when unbound. */
  load(name: string): PyRef {
    const key = this.#name(name);
    try {
      return lookupName(this.memory, this.memory.currentThread, key);
    } finally {
      this.decref(key);
    }
  }

  /** del name. */
  del(name: string): void {
    const key = this.#name(name);
    try {
      unbindName(this.memory, this.memory.currentThread, key);
    } finally {
      this.decref(key);
    }
  }

  /** Calls a function: pushes its frame (RecursionError past the limit). */
  call(functionName: string, line = 1): void {
    const key = this.#name(functionName);
    try {
      pushFrame(this.memory, this.memory.currentThread, key, line);
    } finally {
      this.decref(key);
    }
  }

  /** Returns from the current function: its locals are released, in order. */
  ret(): void {
    popFrame(this.memory, this.memory.currentThread);
  }

  /** Sets the current frame's line (tracemalloc attributes allocations to it). */
  line(line: number): void {
    setLine(this.memory, this.memory.currentThread, line);
  }

  /** Frames on this thread's stack, the module's included. */
  depth(): number {
    return frameDepth(this.memory, this.memory.currentThread);
  }

  /** The frame stack, outermost first: function name, line, and locals. */
  frames(): { function: string; line: number; locals: Record<string, PyRef> }[] {
    const m = this.memory;
    return Array.from({ length: this.depth() }, (_, i) => {
      const frame = frameAt(m, m.currentThread, i);
      return {
        function: frame.functionName === 0 ? '<module>' : textOf(m, frame.functionName),
        line: frame.line,
        locals: Object.fromEntries(frame.locals.map(([name, value]) => [textOf(m, name), value])),
      };
    });
  }

  getRecursionLimit(): number {
    return this.memory.header[H_RECURSION_LIMIT];
  }

  setRecursionLimit(limit: number): void {
    setRecursionLimit(this.memory, this.memory.currentThread, limit);
  }

  // ---- containers ----

  append(list: PyRef, item: PyRef): void {
    this.#mutable(list, 'append', T.List);
    listAppend(this.memory, list, item);
  }

  extend(list: PyRef, items: PyRef[]): void {
    this.#mutable(list, 'extend', T.List);
    listExtend(this.memory, list, items);
  }

  /** list.pop(index): a new reference to the item (the list's own). */
  pop(list: PyRef, index = -1): PyRef {
    this.#mutable(list, 'pop', T.List);
    return listPop(this.memory, list, index);
  }

  /** bytearray.append(byte). */
  appendByte(bytearray: PyRef, byte: number): void {
    this.#mutable(bytearray, 'append', T.ByteArray);
    if (!Number.isInteger(byte) || byte < 0 || byte > 255) throw new ValueError('byte must be in range(0, 256)');
    byteArrayAppend(this.memory, bytearray, byte);
  }

  /** container[key] = value: a list index (a number) or a dict key (a reference). Immutable types raise TypeError. */
  setItem(container: PyRef, key: PyRef | number, value: PyRef): void {
    const t = this.#alive(container);
    if (t === T.List) listSetItem(this.memory, container, key, value);
    else if (t === T.Dict) dictSetItem(this.memory, container, key, value);
    else throw new TypeError(`'${this.typeName(container)}' object does not support item assignment`);
  }

  /** container[key], borrowed: a list or tuple index (a number), or a dict key (a reference). */
  getItem(container: PyRef, key: PyRef | number): PyRef {
    const t = this.#alive(container);
    if (t === T.List || t === T.Tuple) return sequenceItem(this.memory, container, key);
    if (t === T.Dict) {
      const value = dictGetItem(this.memory, container, key);
      if (value === 0) throw new KeyError(this.repr(key));
      return value;
    }
    throw new TypeError(`'${this.typeName(container)}' object is not subscriptable`);
  }

  /** del container[key]. */
  delItem(container: PyRef, key: PyRef | number): void {
    const t = this.#alive(container);
    if (t === T.List) decref(this.memory, listPop(this.memory, container, key));
    else if (t === T.Dict) dictDelItem(this.memory, container, key);
    else throw new TypeError(`'${this.typeName(container)}' object doesn't support item deletion`);
  }

  add(set: PyRef, item: PyRef): void {
    this.#mutable(set, 'add', T.Set);
    setAdd(this.memory, set, item);
  }

  discard(set: PyRef, item: PyRef): void {
    this.#mutable(set, 'discard', T.Set);
    setDiscard(this.memory, set, item, false);
  }

  remove(set: PyRef, item: PyRef): void {
    this.#mutable(set, 'remove', T.Set);
    setDiscard(this.memory, set, item, true);
  }

  /** list.clear() / dict.clear() / set.clear(). */
  clear(container: PyRef): void {
    const t = this.#alive(container);
    if (t !== T.List && t !== T.Dict && t !== T.Set) throw new TypeError(`'${this.typeName(container)}' object has no attribute 'clear'`);
    clearContainer(this.memory, container);
  }

  setAttr(obj: PyRef, name: string, value: PyRef): void {
    this.#alive(obj);
    const key = this.#name(name);
    try {
      setAttribute(this.memory, obj, key, value);
    } finally {
      this.decref(key);
    }
  }

  getAttr(obj: PyRef, name: string): PyRef {
    this.#alive(obj);
    const key = this.#name(name);
    try {
      return getAttribute(this.memory, obj, key);
    } finally {
      this.decref(key);
    }
  }

  delAttr(obj: PyRef, name: string): void {
    this.#alive(obj);
    const key = this.#name(name);
    try {
      deleteAttribute(this.memory, obj, key);
    } finally {
      this.decref(key);
    }
  }

  len(obj: PyRef): number {
    const t = this.#alive(obj);
    if (t === T.Int || t === T.Float || t === T.None || t === T.Ellipsis || t === T.Bool || t === T.Complex || t === T.Instance || t === T.Function) {
      throw new TypeError(`object of type '${this.typeName(obj)}' has no len()`);
    }
    return this.memory.size[obj];
  }

  // ---- identity, equality, introspection ----

  /** a is b. */
  is(a: PyRef, b: PyRef): boolean {
    return a === b;
  }

  /** a == b. */
  eq(a: PyRef, b: PyRef): boolean {
    return pyEquals(this.memory, a, b);
  }

  /** id(obj): its address in the simulated memory. */
  id(obj: PyRef): number {
    this.#alive(obj);
    return this.memory.ptr[obj];
  }

  typeName(obj: PyRef): string {
    const t = this.#alive(obj);
    if (t === T.Instance || t === T.SlotsInstance) return textOf(this.memory, this.memory.aux[this.memory.aux[obj]]);
    return TYPE_NAMES[t];
  }

  /** sys.getsizeof(obj). */
  getsizeof(obj: PyRef): number {
    this.#alive(obj);
    return getsizeof(this.memory, obj);
  }

  /** Is the object statically allocated (never freed: None, small ints, ...)? */
  isStatic(obj: PyRef): boolean {
    this.#alive(obj);
    return (this.memory.flags[obj] & F_STATIC) !== 0;
  }

  isImmutable(obj: PyRef): boolean {
    return isImmutableType(this.#alive(obj));
  }

  /** The references the object holds, in tp_traverse order (borrowed). */
  referents(obj: PyRef): PyRef[] {
    this.#alive(obj);
    const out: PyRef[] = [];
    for (let k = 0; k < childCount(this.memory, obj); k++) {
      const child = childAt(this.memory, obj, k);
      if (child !== 0) out.push(child);
    }
    return out;
  }

  /** The object's value as JS data (lists as arrays, tuples as { tuple }, dicts as Maps, ...). */
  toValue(obj: PyRef): PyValue {
    this.#alive(obj);
    return valueOf(this.memory, obj);
  }

  /** repr(obj), as Python prints it. */
  repr(obj: PyRef): string {
    this.#alive(obj);
    return reprOf(this.memory, obj);
  }

  // ---- the cyclic GC ----

  /** gc.collect(generation): the number of unreachable objects found. */
  collect(generation = 2): number {
    if (![0, 1, 2].includes(generation)) throw new ValueError('invalid generation');
    return collect(this.memory, generation);
  }

  /** gc.get_count(). */
  getCount(): [number, number, number] {
    const h = this.memory.header;
    return [h[H_GC_COUNT], h[H_GC_COUNT + 1], h[H_GC_COUNT + 2]];
  }

  /** gc.get_threshold(). */
  getThreshold(): [number, number, number] {
    const h = this.memory.header;
    return [h[H_GC_THRESHOLD], h[H_GC_THRESHOLD + 1], h[H_GC_THRESHOLD + 2]];
  }

  /** gc.set_threshold(threshold0[, threshold1[, threshold2]]). */
  setThreshold(...thresholds: number[]): void {
    if (thresholds.length < 1 || thresholds.length > 3) throw new TypeError('set_threshold expects 1 to 3 arguments');
    thresholds.forEach((t, g) => {
      if (!Number.isInteger(t)) throw new TypeError(`'${typeof t}' object cannot be interpreted as an integer`);
      this.memory.header[H_GC_THRESHOLD + g] = t;
    });
  }

  enableGc(): void {
    this.memory.header[H_GC_ENABLED] = 1;
  }

  disableGc(): void {
    this.memory.header[H_GC_ENABLED] = 0;
  }

  isGcEnabled(): boolean {
    return this.memory.header[H_GC_ENABLED] === 1;
  }

  /** gc.is_tracked(obj). */
  isTracked(obj: PyRef): boolean {
    this.#alive(obj);
    return isTracked(this.memory, obj);
  }

  /** The full-collection rule's state: survivors of the last full collection, and of generation-1 collections since. */
  getLongLived(): { total: number; pending: number } {
    const h = this.memory.header;
    return { total: h[H_LONG_LIVED_TOTAL], pending: h[H_LONG_LIVED_PENDING] };
  }

  /** gc.get_stats(). */
  getStats(): GenerationStats[] {
    return gcStats(this.memory);
  }

  /** gc.get_objects(generation), as references (borrowed). */
  getObjects(generation: number): PyRef[] {
    if (![0, 1, 2].includes(generation)) throw new ValueError('generation parameter must be 0, 1 or 2');
    return generationObjects(this.memory, generation);
  }

  /** The generation whose list holds `obj`, or -1 when untracked. */
  generationOf(obj: PyRef): number {
    if (!this.isTracked(obj)) return -1;
    return [0, 1, 2].find((g) => generationObjects(this.memory, g).includes(obj)) ?? -1;
  }

  // ---- tracemalloc and allocator statistics ----

  /** tracemalloc.start(): allocations from now on record their frame and line. */
  startTracing(): void {
    this.memory.header[H_TRACING] = 1;
  }

  stopTracing(): void {
    this.memory.header[H_TRACING] = 0;
  }

  isTracing(): boolean {
    return this.memory.header[H_TRACING] === 1;
  }

  /** tracemalloc.take_snapshot(): the traced live allocations, grouped by (function, line). */
  takeSnapshot(): Snapshot {
    return takeSnapshot(this.memory);
  }

  /** sys._debugmallocstats(), as data. */
  mallocStats(): MallocStats {
    return mallocStats(this.memory);
  }

  /** Live objects (static ones included). */
  liveObjects(): number {
    return this.memory.header[H_LIVE];
  }

  /** Host bytes this heap uses: its region plus the pools' link regions and the chunked columns' chunks. */
  hostBytes(): number {
    const h = this.memory.header;
    return h[H_MEMORY_BYTES] + h[H_LINK_BYTES] + h[H_CHUNK_BYTES];
  }

  // ---- helpers ----

  #name(text: string): PyRef {
    const m = this.memory;
    const found = findInterned(m, text);
    if (found !== 0) {
      incref(m, found);
      return found;
    }
    return intern(m, newStr(m, text), (dropped) => decref(m, dropped));
  }

  /** The object's type tag; ValueError unless `obj` is a live object of this heap. */
  #alive(obj: PyRef): number {
    // A typed array answers undefined for any index it does not have (negative, fractional, past capacity).
    const type = this.memory.type[obj];
    if (type === undefined || type === T.Free) throw new ValueError(`${obj} is not a live object of this heap`);
    return type;
  }

  #mutable(obj: PyRef, method: string, expected: number): void {
    if (this.#alive(obj) !== expected) throw new AttributeError(`'${this.typeName(obj)}' object has no attribute '${method}'`);
  }
}

declare module '../shm/handle-kinds.js' {
  interface HandleKinds {
    PyHeap: { handle: PyHeapHandle; object: PyHeap };
  }
}
registerHandleKind('PyHeap', (handle) => new PyHeap(handle));

/** A new heap's memory, initialised: obmalloc, the GC lists, the static objects, the thread states, the globals. */
function newHeapMemory(options: PyHeapOptions): HeapMemory {
  const { profile = DEFAULT_PROFILE, ...dims } = options;
  const m = HeapMemory.create({ ...DEFAULT_DIMENSIONS, ...dims }, profile);
  const h = m.header;
  h[H_GC_THRESHOLD] = profile.gc.thresholds[0];
  h[H_GC_THRESHOLD + 1] = profile.gc.thresholds[1];
  h[H_GC_THRESHOLD + 2] = profile.gc.thresholds[2];
  h[H_GC_ENABLED] = 1;
  h[H_RECURSION_LIMIT] = profile.recursionLimit;
  initObmalloc(m);
  initGcLists(m);
  initStatics(m);
  initThreads(m);
  h[H_GLOBALS] = newDict(m);
  h[H_GC_COUNT] = 0;
  return m;
}
