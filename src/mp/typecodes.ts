/*
 * The C types behind multiprocessing.Value and Array, named by the typecodes of
 * Python's array module (which multiprocessing.sharedctypes maps to ctypes):
 *
 *   'b' signed char   1    'B' unsigned char    1
 *   'h' short         2    'H' unsigned short   2
 *   'i' int           4    'I' unsigned int     4
 *   'l' long          8    'L' unsigned long    8   (64-bit Linux: long is 64 bits)
 *   'q' long long     8    'Q' unsigned long long 8
 *   'f' float         4    'd' double           8
 *
 * Integers that do not fit wrap modulo 2**bits, as ctypes stores them
 * (ctypes.c_int(2**31).value == -2147483648); the 64-bit types read back as bigint.
 * A float for an integer type is a TypeError, as in ctypes ("int expected instead of float").
 */
import { ValueError } from '../errors.js';

export type IntTypecode = 'b' | 'B' | 'h' | 'H' | 'i' | 'I';
export type BigTypecode = 'l' | 'L' | 'q' | 'Q';
export type FloatTypecode = 'f' | 'd';
export type Typecode = IntTypecode | BigTypecode | FloatTypecode;

/** What `.value` gives for a typecode: bigint for the 64-bit integers, number otherwise. */
export type ValueOf<T extends Typecode> = T extends BigTypecode ? bigint : number;

type View = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array | Float32Array | Float64Array;
type ViewConstructor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => View;

export interface TypeInfo {
  readonly typecode: Typecode;
  /** The C type's name, as ctypes calls it. */
  readonly ctype: string;
  readonly bytes: number;
  readonly kind: 'int' | 'bigint' | 'float';
  readonly View: ViewConstructor;
}

const info = (typecode: Typecode, ctype: string, bytes: number, kind: TypeInfo['kind'], View: ViewConstructor): TypeInfo => ({
  typecode,
  ctype,
  bytes,
  kind,
  View,
});

export const TYPECODES: Readonly<Record<Typecode, TypeInfo>> = {
  b: info('b', 'c_byte', 1, 'int', Int8Array),
  B: info('B', 'c_ubyte', 1, 'int', Uint8Array),
  h: info('h', 'c_short', 2, 'int', Int16Array),
  H: info('H', 'c_ushort', 2, 'int', Uint16Array),
  i: info('i', 'c_int', 4, 'int', Int32Array),
  I: info('I', 'c_uint', 4, 'int', Uint32Array),
  l: info('l', 'c_long', 8, 'bigint', BigInt64Array),
  L: info('L', 'c_ulong', 8, 'bigint', BigUint64Array),
  q: info('q', 'c_longlong', 8, 'bigint', BigInt64Array),
  Q: info('Q', 'c_ulonglong', 8, 'bigint', BigUint64Array),
  f: info('f', 'c_float', 4, 'float', Float32Array),
  d: info('d', 'c_double', 8, 'float', Float64Array),
};

/**
 * The type behind a typecode: a TypeError for something that is not a string (as
 * ctypes.sizeof(None) is in Python: "this type has no size"), a ValueError naming
 * the valid ones for an unknown string.
 */
export function typeInfo(typecode: unknown): TypeInfo {
  if (typeof typecode !== 'string') throw new TypeError(`this type has no size: a typecode must be a str, not ${pythonTypeName(typecode)}`);
  if (typeof typecode === 'string' && Object.hasOwn(TYPECODES, typecode)) return TYPECODES[typecode as Typecode];
  throw new ValueError(`bad typecode ${JSON.stringify(typecode)} (must be one of ${Object.keys(TYPECODES).join(', ')})`);
}

/** The type a handle's typecode names; anything else is a ValueError about the handle. */
export function typeOfHandle(kind: string, typecode: unknown): TypeInfo {
  if (typeof typecode === 'string' && Object.hasOwn(TYPECODES, typecode)) return TYPECODES[typecode as Typecode];
  throw new ValueError(`bad ${kind} handle: typecode ${JSON.stringify(typecode) ?? String(typecode)}`);
}

/** A typed-array view of `length` elements of this type at `byteOffset` of `buffer`. */
export function viewOf(type: TypeInfo, buffer: SharedArrayBuffer, byteOffset: number, length: number): View {
  return new type.View(buffer, byteOffset, length);
}

/**
 * The value to store for `input`, as ctypes would accept it. The typed array
 * then wraps integers modulo 2**bits (and rounds floats to float32 for 'f').
 */
export function toStorable(type: TypeInfo, input: unknown): number | bigint {
  if (typeof input === 'boolean') input = input ? 1 : 0;
  if (type.kind === 'float') {
    if (typeof input === 'number') return input;
    if (typeof input === 'bigint') return Number(input);
    throw new TypeError(`must be real number, not ${pythonTypeName(input)}`);
  }
  if (typeof input === 'bigint') return type.kind === 'bigint' ? input : Number(input & 0xffff_ffffn);
  if (typeof input === 'number') {
    if (!Number.isInteger(input)) throw new TypeError(`int expected instead of float (${input}) for typecode '${type.typecode}'`);
    return type.kind === 'bigint' ? BigInt(input) : input;
  }
  throw new TypeError(`int expected instead of ${pythonTypeName(input)} for typecode '${type.typecode}'`);
}

function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  return typeof value;
}

export type { View as TypedView };
