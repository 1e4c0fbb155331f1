/*
 * What a call or a comprehension iterates over, and its items, in Python's
 * order: a range (range(stop), range(start, stop[, step]), with Python's argument
 * checks), a list or tuple (first to last), a set (the model's member order), a
 * dict (its keys, in insertion order), a str (one-character strs), bytes and
 * bytearray (ints). A range is not an object of the model: it is only iterated.
 * Items come as new references; the model iterates at most MAX_ITEMS of them.
 */
import { ValueError } from '../errors.js';
import { intOf } from './arith.js';
import { NotModelledError } from './constant.js';
import { dictItems } from './dict.js';
import type { HeapMemory } from './memory.js';
import { newInt } from './numbers.js';
import { BA_BYTES } from './objects.js';
import { incref } from './refcount.js';
import { sequenceItems } from './repr.js';
import { setMembers } from './set.js';
import { bytesOf, newStrOfPoints } from './unicode.js';
import { T, TYPE_NAMES } from './types.js';
import { constantOf } from './values.js';

/** The model's bound on the items one iteration yields. */
export const MAX_ITEMS = 100_000;

export interface PyRange {
  start: bigint;
  stop: bigint;
  step: bigint;
}

/** An argument of a call: an object (a reference the caller owns) or a range. */
export type Iterable = { ref: number } | { range: PyRange };

/** range(...) from its evaluated arguments (borrowed references). */
export function makeRange(m: HeapMemory, args: number[]): PyRange {
  if (args.length === 0) throw new TypeError('range expected at least 1 argument, got 0');
  if (args.length > 3) throw new TypeError(`range expected at most 3 arguments, got ${args.length}`);
  const ints = args.map((arg) => {
    const value = constantOf(m, arg);
    if (value === undefined || (value.kind !== 'int' && value.kind !== 'bool')) {
      throw new TypeError(`'${TYPE_NAMES[m.type[arg]]}' object cannot be interpreted as an integer`);
    }
    return intOf(value);
  });
  const [start, stop, step] = ints.length === 1 ? [0n, ints[0], 1n] : [ints[0], ints[1], ints[2] ?? 1n];
  if (step === 0n) throw new ValueError('range() arg 3 must not be zero');
  return { start, stop, step };
}

export function rangeLength(r: PyRange): bigint {
  const span = r.step > 0n ? r.stop - r.start : r.start - r.stop;
  const step = r.step > 0n ? r.step : -r.step;
  return span <= 0n ? 0n : (span + step - 1n) / step;
}

/** len() of what is iterated, when it has one (every kind here does). */
export function lengthOf(m: HeapMemory, iterable: Iterable): number {
  if ('range' in iterable) return Number(rangeLength(iterable.range));
  return m.size[iterable.ref];
}

function checkCount(count: bigint | number): void {
  if (BigInt(count) > BigInt(MAX_ITEMS)) throw new NotModelledError(`the model iterates over at most ${MAX_ITEMS} items`);
}

/** The items, as new references. */
export function itemsOf(m: HeapMemory, iterable: Iterable): number[] {
  if ('range' in iterable) {
    const { start, step } = iterable.range;
    const n = rangeLength(iterable.range);
    checkCount(n);
    return Array.from({ length: Number(n) }, (_, i) => newInt(m, start + BigInt(i) * step));
  }
  const id = iterable.ref;
  const shared = (items: number[]) => {
    checkCount(items.length);
    for (const item of items) incref(m, item);
    return items;
  };
  switch (m.type[id]) {
    case T.List:
    case T.Tuple:
      return shared(sequenceItems(m, id));
    case T.Set:
    case T.FrozenSet:
      return shared(setMembers(m, id));
    case T.Dict:
      return shared(dictItems(m, id).map(([key]) => key));
    case T.Str:
      checkCount(m.size[id]);
      return bytesOf(m, id).map((point) => newStrOfPoints(m, [point]));
    case T.Bytes:
    case T.ByteArray:
      checkCount(m.size[id]);
      return bytesOf(m, id, m.type[id] === T.ByteArray ? BA_BYTES : 0).map((byte) => newInt(m, byte));
    default:
      throw new TypeError(`'${TYPE_NAMES[m.type[id]]}' object is not iterable`);
  }
}
