/*
 * The builtins that build values, as CPython 3.11 builds them, since how a
 * container is built decides its size:
 * - list(x): list___init__ preallocates len(x) slots rounded up to even
 *   (list_preallocate_exact), then extends: list(range(10)) is 136 bytes, where
 *   the comprehension [i for i in range(10)] grows by appending to 184;
 * - tuple(x): x itself when x is a tuple, else exactly len(x) items;
 * - set(x), frozenset(x): set_update_internal: from a set or a dict one resize up
 *   front for len(x) keys, then adds; from anything else one add per item
 *   (frozenset(x) is x itself when x is a frozenset);
 * - dict.fromkeys(x[, v]): from a dict or a set a keys table presized for len(x)
 *   (dictresize to estimate_log2_keysize, even for an empty x), else one insert
 *   per key; dict() is empty;
 * - bytes(n), bytes(x), bytearray(n), bytearray(x): exact buffers, except a
 *   bytearray from an iterable of ints, which appends;
 * - str(x) (x itself when a str, else its repr), int(x) and float(x) from numbers
 *   and strings, with Python's errors.
 * Arguments are borrowed; each builtin returns a new reference.
 */
import { ValueError } from '../errors.js';
import { checkedItems, intOf } from './arith.js';
import { byteArrayAppend, newByteArray } from './bytearray.js';
import { checkHashedItems, NotModelledError, type Constant } from './constant.js';
import { dictPresizeFor, dictSetItem, hasUnicodeKeys, newDict } from './dict.js';
import { OverflowError } from './errors.js';
import { itemsOf, lengthOf, makeRange, type Iterable } from './iteration.js';
import type { Callee } from './literal.js';
import { listExtend, newList, newTuple } from './list.js';
import { H_NONE, type HeapMemory } from './memory.js';
import { newFloat, newInt } from './numbers.js';
import { BA_BYTES } from './objects.js';
import { decref, incref } from './refcount.js';
import { reprOf, sequenceItems } from './repr.js';
import { newSet, setAdd, setMerge, setReserve } from './set.js';
import { bytesOf, newBytes, newStrOfPoints } from './unicode.js';
import { T, TYPE_NAMES } from './types.js';
import { constantOf } from './values.js';

type Builtin = (m: HeapMemory, args: Iterable[]) => number;

/** callee(*args): a new reference. */
export function callBuiltin(m: HeapMemory, callee: Callee, args: Iterable[]): number {
  if (callee === 'range') {
    makeRange(m, args.map(objectArgument)); // Python's errors first
    throw new NotModelledError('the model has no range objects: iterate over one, as in list(range(10))');
  }
  return BUILTINS[callee](m, args);
}

const BUILTINS: Record<Exclude<Callee, 'range'>, Builtin> = {
  list: (m, args) => {
    const list = newList(m, []);
    const x = optionalArgument('list', args);
    if (x !== undefined) withItems(m, x, (items) => listExtend(m, list, items));
    return list;
  },
  tuple: (m, args) => {
    const x = optionalArgument('tuple', args);
    if (x === undefined) return newTuple(m, []);
    if ('ref' in x && m.type[x.ref] === T.Tuple) return shared(m, x.ref);
    return newTuple(m, itemsOf(m, x));
  },
  set: (m, args) => setFrom(m, T.Set, optionalArgument('set', args)),
  frozenset: (m, args) => {
    const x = optionalArgument('frozenset', args);
    if (x !== undefined && 'ref' in x && m.type[x.ref] === T.FrozenSet) return shared(m, x.ref);
    return setFrom(m, T.FrozenSet, x);
  },
  dict: (m, args) => {
    if (args.length > 0) throw new NotModelledError('the model builds dict() empty only (dict.fromkeys fills one)');
    return newDict(m);
  },
  'dict.fromkeys': (m, args) => {
    if (args.length === 0) throw new TypeError('fromkeys expected at least 1 argument, got 0');
    if (args.length > 2) throw new TypeError(`fromkeys expected at most 2 arguments, got ${args.length}`);
    const value = args.length === 2 ? objectArgument(args[1]) : m.header[H_NONE];
    return dictFromKeys(m, args[0], value);
  },
  bytes: (m, args) => {
    const x = optionalArgument('bytes', args);
    const sized = x !== undefined && 'ref' in x && (m.type[x.ref] === T.Int || m.type[x.ref] === T.Bool);
    return newBytes(m, byteValues(m, 'bytes', x), !sized);
  },
  bytearray: (m, args) => {
    const x = optionalArgument('bytearray', args);
    if (x === undefined || ('ref' in x && (isExact(m, x.ref) || isSequenceOfInts(m, x.ref)))) return newByteArray(m, byteValues(m, 'bytearray', x));
    const result = newByteArray(m, []);
    withItems(m, x, (items) => items.forEach((item) => byteArrayAppend(m, result, byteOf(m, item))));
    return result;
  },
  str: (m, args) => {
    const x = optionalArgument('str', args);
    if (x === undefined) return newStrOfPoints(m, []);
    const ref = objectArgument(x);
    if (m.type[ref] === T.Str) return shared(m, ref);
    if (m.type[ref] === T.Int) checkDigits(m, reprOf(m, ref).replace('-', '').length, false);
    return newStrOfPoints(m, Array.from(reprOf(m, ref), (c) => c.codePointAt(0) as number), m.type[ref] !== T.Int);
  },
  int: (m, args) => {
    const x = optionalArgument('int', args);
    return x === undefined ? newInt(m, 0) : newInt(m, intFrom(m, objectArgument(x)));
  },
  float: (m, args) => {
    const x = optionalArgument('float', args);
    return newFloat(m, x === undefined ? 0 : floatFrom(m, objectArgument(x)));
  },
};

function optionalArgument(name: string, args: Iterable[]): Iterable | undefined {
  if (args.length > 1) {
    if (name === 'str' || name === 'int' || name === 'bytes' || name === 'bytearray') throw new NotModelledError(`the model calls ${name}() with at most one argument (no encodings or bases)`);
    throw new TypeError(`${name} expected at most 1 argument, got ${args.length}`);
  }
  return args[0];
}

function objectArgument(arg: Iterable): number {
  if ('range' in arg) throw new NotModelledError('the model has no range objects: iterate over one, as in list(range(10))');
  return arg.ref;
}

function shared(m: HeapMemory, id: number): number {
  incref(m, id);
  return id;
}

/** Runs `use` on the iterable's items (new references, dropped after). */
function withItems(m: HeapMemory, x: Iterable, use: (items: number[]) => void): void {
  const items = itemsOf(m, x);
  try {
    use(items);
  } finally {
    items.forEach((item) => decref(m, item));
  }
}

function setFrom(m: HeapMemory, type: T.Set | T.FrozenSet, x: Iterable | undefined): number {
  if (x !== undefined) checkHashedItems(lengthOf(m, x));
  const result = newSet(m, type);
  if (x === undefined) return result;
  if ('ref' in x && (m.type[x.ref] === T.Set || m.type[x.ref] === T.FrozenSet)) {
    setMerge(m, result, x.ref);
    return result;
  }
  if ('ref' in x && m.type[x.ref] === T.Dict) setReserve(m, result, m.size[x.ref]);
  withItems(m, x, (items) => items.forEach((item) => setAdd(m, result, item)));
  return result;
}

function dictFromKeys(m: HeapMemory, x: Iterable, value: number): number {
  checkHashedItems(lengthOf(m, x));
  const dict = newDict(m);
  const t = 'ref' in x ? m.type[x.ref] : T.Free;
  if ('ref' in x && t === T.Dict) dictPresizeFor(m, dict, lengthOf(m, x), hasUnicodeKeys(m, x.ref));
  if (t === T.Set || t === T.FrozenSet) dictPresizeFor(m, dict, lengthOf(m, x), false);
  withItems(m, x, (items) => items.forEach((key) => dictSetItem(m, dict, key, value)));
  return dict;
}

/** bytearray___init__'s fast path: a list or tuple of exact ints is copied into an exact buffer. */
function isSequenceOfInts(m: HeapMemory, id: number): boolean {
  return (m.type[id] === T.List || m.type[id] === T.Tuple) && sequenceItems(m, id).every((item) => m.type[item] === T.Int);
}

/** Arguments bytearray() sizes exactly (or refuses) rather than iterating. */
const isExact = (m: HeapMemory, id: number): boolean => [T.Bytes, T.ByteArray, T.Int, T.Bool, T.Str, T.Float, T.Complex, T.None].includes(m.type[id]);

/** The bytes bytes(x) or bytearray(x) holds. */
function byteValues(m: HeapMemory, name: string, x: Iterable | undefined): number[] {
  if (x === undefined) return [];
  if ('ref' in x) {
    const id = x.ref;
    const t = m.type[id];
    if (t === T.Str) throw new TypeError('string argument without an encoding');
    if (t === T.Bytes || t === T.ByteArray) return bytesOf(m, id, t === T.ByteArray ? BA_BYTES : 0);
    if (t === T.Int || t === T.Bool) return new Array<number>(countOf(intOf(constantOf(m, id) as Constant))).fill(0);
    if (t === T.Float || t === T.Complex || t === T.None) throw new TypeError(`cannot convert '${TYPE_NAMES[t]}' object to ${name}`);
  }
  const items = itemsOf(m, x);
  try {
    return items.map((item) => byteOf(m, item));
  } finally {
    items.forEach((item) => decref(m, item));
  }
}

function countOf(n: bigint): number {
  if (n < 0n) throw new ValueError('negative count');
  return checkedItems(n);
}

function byteOf(m: HeapMemory, item: number): number {
  const value = constantOf(m, item);
  if (value === undefined || (value.kind !== 'int' && value.kind !== 'bool')) {
    throw new TypeError(`'${TYPE_NAMES[m.type[item]]}' object cannot be interpreted as an integer`);
  }
  const byte = intOf(value);
  if (byte < 0n || byte > 255n) throw new ValueError('bytes must be in range(0, 256)');
  return Number(byte);
}

/** int <-> decimal str conversions are refused past sys.get_int_max_str_digits(). */
function checkDigits(m: HeapMemory, digits: number, parsing: boolean): void {
  const limit = m.profile.compiler.maxStrDigits;
  if (digits <= limit) return;
  const has = parsing ? `: value has ${digits} digits` : '';
  throw new ValueError(`Exceeds the limit (${limit} digits) for integer string conversion${has}; use sys.set_int_max_str_digits() to increase the limit`);
}

/** int(x) for a number, a str or bytes (base 10). */
function intFrom(m: HeapMemory, id: number): bigint {
  const value = constantOf(m, id);
  if (value?.kind === 'int' || value?.kind === 'bool') return intOf(value);
  if (value?.kind === 'float') {
    if (Number.isNaN(value.value)) throw new ValueError('cannot convert float NaN to integer');
    if (!Number.isFinite(value.value)) throw new OverflowError('cannot convert float infinity to integer');
    return BigInt(Math.trunc(value.value));
  }
  if (value?.kind === 'str' || value?.kind === 'bytes') {
    const text = textOfPoints(value.kind === 'str' ? value.points : value.value);
    const match = /^\s*([+-]?)(\p{Nd}(?:_?\p{Nd})*)\s*$/u.exec(text);
    if (match === null) throw new ValueError(`invalid literal for int() with base 10: ${reprOf(m, id)}`);
    const digits = Array.from(match[2].replace(/_/g, ''), decimalValue).join('');
    checkDigits(m, digits.length, true);
    return BigInt(match[1] + digits);
  }
  throw new TypeError(`int() argument must be a string, a bytes-like object or a real number, not '${TYPE_NAMES[m.type[id]]}'`);
}

const textOfPoints = (points: readonly number[]): string => points.map((point) => String.fromCodePoint(point)).join('');

/**
 * The value of a decimal digit of any script (Unicode category Nd), as int() reads
 * it: Unicode lays every script's digits out as runs of ten, 0 to 9, so the value
 * is the distance from the start of its run of digits, modulo 10.
 */
function decimalValue(digit: string): string {
  let first = digit.codePointAt(0) as number;
  while (/\p{Nd}/u.test(String.fromCodePoint(first - 1))) first--;
  return String(((digit.codePointAt(0) as number) - first) % 10);
}

/** float(x) for a number or a str. */
function floatFrom(m: HeapMemory, id: number): number {
  const value = constantOf(m, id);
  if (value?.kind === 'float') return value.value;
  if (value?.kind === 'int' || value?.kind === 'bool') {
    const x = Number(intOf(value));
    if (!Number.isFinite(x)) throw new OverflowError('int too large to convert to float');
    return x;
  }
  if (value?.kind === 'str') {
    const text = textOfPoints(value.points).trim();
    const special = /^([+-]?)(inf|infinity|nan)$/i.exec(text);
    if (special !== null) return special[2].toLowerCase() === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity;
    if (/^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/.test(text)) return Number(text.replace(/_/g, ''));
    throw new ValueError(`could not convert string to float: ${reprOf(m, id)}`);
  }
  throw new TypeError(`float() argument must be a string or a real number, not '${TYPE_NAMES[m.type[id]]}'`);
}
