/*
 * The built-in types the model knows, as small integer tags (the `type` column),
 * with what CPython says of each: its name, and whether it is a GC type (has a
 * PyGC_Head and a tp_traverse, Py_TPFLAGS_HAVE_GC).
 */
export const enum T {
  Free = 0,
  None = 1,
  Bool = 2,
  Int = 3,
  Float = 4,
  Complex = 5,
  Str = 6,
  Bytes = 7,
  ByteArray = 8,
  Tuple = 9,
  List = 10,
  Dict = 11,
  Set = 12,
  FrozenSet = 13,
  Instance = 14,
  SlotsInstance = 15,
  Function = 16,
  Type = 17,
  Ellipsis = 18,
}

export const TYPE_NAMES: readonly string[] = [
  '<free>', 'NoneType', 'bool', 'int', 'float', 'complex', 'str', 'bytes', 'bytearray', 'tuple', 'list', 'dict', 'set',
  'frozenset', 'object', 'object', 'function', 'type', 'ellipsis',
];

const GC_TYPES = new Uint8Array(19);
for (const t of [T.Tuple, T.List, T.Dict, T.Set, T.FrozenSet, T.Instance, T.SlotsInstance, T.Function, T.Type]) GC_TYPES[t] = 1;

/** _PyObject_IS_GC for an exact built-in type. */
export function isGcType(type: number): boolean {
  return GC_TYPES[type] === 1;
}

/** Types whose values cannot change after creation (mutating one is a TypeError). */
export function isImmutableType(type: number): boolean {
  return type !== T.List && type !== T.Dict && type !== T.Set && type !== T.ByteArray && type !== T.Instance && type !== T.SlotsInstance;
}

/** Object flags (the `flags` column). */
export const F_STATIC = 1; // statically allocated in CPython 3.11 (None, bools, small ints, ()): never freed
export const F_INTERNED = 2; // in the interned-strings set
export const F_BIG = 4; // an int too big for a double: its digits are in the store
export const F_TRACED = 8; // made while tracing: its tracemalloc trace is in the `trace` column
export const F_PENDING = 16; // tracked, waiting in the pending stack to be linked into generation 0 (gc-lists.ts)

/** str kinds (the `aux` column of a str): PyUnicode_1BYTE_KIND split into ASCII and latin-1. */
export const KIND_ASCII = 0;
export const KIND_LATIN1 = 1;
export const KIND_UCS2 = 2;
export const KIND_UCS4 = 4;
