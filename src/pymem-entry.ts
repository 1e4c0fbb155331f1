/*
 * The public entry for the CPython 3.11 memory model: what
 * `import ... from 'memplay/pymem'` gives (and the package root too). Heaps in
 * shared memory, sizes, refcounts, GC, frames, tracemalloc, as the namespace
 * `pymem`; and pymalloc's PyObject_Malloc / PyObject_Free on a heap's memory
 * (`heap.memory`), for allocator races. It is an entry of its own, beside
 * 'memplay/scenario', because the model is some fifty modules: a scenario worker
 * loads them only when its scenario imports this entry (docs/ARCHITECTURE.md,
 * "Worker start"). Importing it registers the PyHeap handle kind for attach().
 */
export * as pymem from './pymem/index.js';
export { objectMalloc, objectFree } from './pymem/obmalloc.js';
