/*
 * The version table: every constant of the CPython being modelled, in one place.
 *
 * CPYTHON_3_11 is CPython 3.11 on 64-bit Linux (the machine's python3). Each value
 * is either read in CPython's sources (cited) or measured by
 * scripts/cpython-fixture.py, and test/pymem/fixture.test.ts checks the model built
 * from this table against that fixture. Another version is another table of the
 * same shape.
 */

export interface PythonProfile {
  readonly name: string;
  /** Objects/obmalloc.c: ALIGNMENT, SMALL_REQUEST_THRESHOLD, POOL_SIZE (POOL_BITS 14), ARENA_SIZE (ARENA_BITS 20). */
  readonly obmalloc: {
    readonly alignment: number;
    readonly smallRequestThreshold: number;
    readonly poolSize: number;
    readonly arenaSize: number;
    /** POOL_OVERHEAD: sizeof(struct pool_header) rounded up to ALIGNMENT. */
    readonly poolOverhead: number;
    /** INITIAL_ARENA_OBJECTS: the arena_object array starts with 16 slots and doubles. */
    readonly initialArenaObjects: number;
  };
  /** sizeof(PyGC_Head): two words before every GC object. */
  readonly gcHeader: number;
  /** Include/internal/pycore_gc.h + Modules/gcmodule.c: NUM_GENERATIONS and the default thresholds. */
  readonly gc: { readonly thresholds: readonly [number, number, number] };
  /** Py_DEFAULT_RECURSION_LIMIT. */
  readonly recursionLimit: number;
  /** _PY_NSMALLNEGINTS / _PY_NSMALLPOSINTS: ints in [min, max] are shared. */
  readonly smallInts: { readonly min: number; readonly max: number };
  /** The C structs' sizes (basicsize, itemsize) and the growth rules' constants. */
  readonly sizes: ObjectSizes;
  /** The compiler's constants that decide how an expression is built. */
  readonly compiler: CompilerLimits;
}

export interface CompilerLimits {
  /** Python/ast_opt.c: the optimizer folds no int result past MAX_INT_SIZE bits, no tuple past MAX_COLLECTION_SIZE items
   *  (MAX_TOTAL_ITEMS nested), no str or bytes past MAX_STR_SIZE characters. */
  readonly maxIntSize: number;
  readonly maxCollectionSize: number;
  readonly maxStrSize: number;
  readonly maxTotalItems: number;
  /** Python/compile.c: STACK_USE_GUIDELINE, past which displays are built item by item. */
  readonly stackUseGuideline: number;
  /** sys.get_int_max_str_digits()'s default (_PY_LONG_DEFAULT_MAX_STR_DIGITS): decimal conversions of longer ints are refused. */
  readonly maxStrDigits: number;
}

export interface ObjectSizes {
  readonly pointer: number;
  /** PyObject_HEAD: refcount + type. */
  readonly objectHead: number;
  readonly none: number;
  /** PyLongObject: offsetof(ob_digit) and sizeof(digit); PyLong_SHIFT bits per digit. */
  readonly longHead: number;
  readonly digitBytes: number;
  readonly digitBits: number;
  readonly float: number;
  readonly complex: number;
  /** PyASCIIObject and PyCompactUnicodeObject (3.11 still has the wstr fields). */
  readonly asciiHead: number;
  readonly compactUnicodeHead: number;
  /** PyBytesObject up to ob_sval (the string then has len + 1 bytes). */
  readonly bytesHead: number;
  readonly bytearray: number;
  readonly tupleHead: number;
  readonly list: number;
  readonly dict: number;
  /** sizeof(PyDictKeysObject) without its indices and entries. */
  readonly dictKeysHead: number;
  readonly dictEntryGeneral: number;
  readonly dictEntryUnicode: number;
  /** PyDict_LOG_MINSIZE. */
  readonly dictLogMinSize: number;
  /** PySetObject with its inline smalltable of PySet_MINSIZE entries. */
  readonly set: number;
  readonly setMinSize: number;
  readonly setEntry: number;
  /** An instance of a plain class: object head + __weakref__, and the managed-dict pre-header (3.11). */
  readonly instanceBase: number;
  readonly managedDictPreHeader: number;
  /** An instance of a class with __slots__ (object head, then one pointer per slot). */
  readonly slotsBase: number;
  readonly function: number;
  /** A heap type object (PyHeapTypeObject and what type.__sizeof__ adds), measured: over the threshold, so malloc serves it. */
  readonly heapType: number;
}

/** CPython 3.11, 64-bit Linux. */
export const CPYTHON_3_11: PythonProfile = {
  name: 'CPython 3.11 (64-bit Linux)',
  obmalloc: {
    alignment: 16,
    smallRequestThreshold: 512,
    poolSize: 16 * 1024,
    arenaSize: 1024 * 1024,
    poolOverhead: 48,
    initialArenaObjects: 16,
  },
  gcHeader: 16,
  gc: { thresholds: [700, 10, 10] },
  recursionLimit: 1000,
  smallInts: { min: -5, max: 256 },
  sizes: {
    pointer: 8,
    objectHead: 16,
    none: 16,
    longHead: 24,
    digitBytes: 4,
    digitBits: 30,
    float: 24,
    complex: 32,
    asciiHead: 48,
    compactUnicodeHead: 72,
    bytesHead: 32,
    bytearray: 56,
    tupleHead: 24,
    list: 40,
    dict: 48,
    dictKeysHead: 32,
    dictEntryGeneral: 24,
    dictEntryUnicode: 16,
    dictLogMinSize: 3,
    set: 200,
    setMinSize: 8,
    setEntry: 16,
    instanceBase: 24,
    managedDictPreHeader: 16,
    slotsBase: 16,
    function: 136,
    heapType: 1672,
  },
  compiler: { maxIntSize: 128, maxCollectionSize: 256, maxStrSize: 4096, maxTotalItems: 1024, stackUseGuideline: 30, maxStrDigits: 4300 },
};

export const DEFAULT_PROFILE = CPYTHON_3_11;

/** The pymalloc size classes implied by a profile: class i serves requests up to (i+1)*ALIGNMENT bytes. */
export function sizeClassCount(profile: PythonProfile): number {
  return profile.obmalloc.smallRequestThreshold / profile.obmalloc.alignment;
}

/** Blocks in one pool of class `sizeClass`: (POOL_SIZE - POOL_OVERHEAD) / block size, as obmalloc carves them. */
export function blocksPerPool(profile: PythonProfile, sizeClass: number): number {
  const { poolSize, poolOverhead, alignment } = profile.obmalloc;
  return Math.floor((poolSize - poolOverhead) / ((sizeClass + 1) * alignment));
}
