/*
 * Python's `==` between model objects, as dict and set lookups and `heap.eq` use
 * it: numbers compare by value across bool, int and float (1 == 1.0 == True),
 * str by contents, bytes and bytearray by contents across the two, tuples and
 * lists by their items in order (each item first by identity, as CPython's
 * list_richcompare), sets and frozensets by membership across the two, dicts by
 * their keys and values, everything else by identity. Also which objects are hashable (a list, dict, set or
 * bytearray is not, nor a tuple holding one).
 * While an expression is evaluated (evaluate.ts), comparisons are counted
 * against a budget, so that no input can keep the model's linear lookups busy
 * for long: past it the evaluation stops with NotModelledError.
 */
import { childAt, childCount } from './children.js';
import { NotModelledError } from './constant.js';
import type { HeapMemory } from './memory.js';
import { compareIntWithFloat, complexPart, intValue, numberOf } from './numbers.js';
import { BA_BYTES } from './objects.js';
import { bytesOf, sameText } from './unicode.js';
import { F_BIG, T, TYPE_NAMES } from './types.js';

const realPart = (m: HeapMemory, id: number): number => (m.type[id] === T.Complex ? complexPart(m, id, 0) : Number(intOrFloat(m, id)));
const imagPart = (m: HeapMemory, id: number): number => (m.type[id] === T.Complex ? complexPart(m, id, 1) : 0);
const intOrFloat = (m: HeapMemory, id: number): number | bigint => ((m.flags[id] & F_BIG) !== 0 ? intValue(m, id) : numberOf(m, id));

/** Comparisons left to the evaluation in progress (Infinity outside one). */
let comparisonsLeft = Infinity;

/** Runs `run` with at most `budget` comparisons. */
export function withComparisonBudget<T>(budget: number, run: () => T): T {
  const saved = comparisonsLeft;
  comparisonsLeft = budget;
  try {
    return run();
  } finally {
    comparisonsLeft = saved;
  }
}

export function pyEquals(m: HeapMemory, a: number, b: number): boolean {
  if (a === b) return true;
  if (--comparisonsLeft < 0) throw new NotModelledError('the expression needs more comparisons than the model makes for one evaluation (its dicts and sets are scanned, not hashed)');
  const ta = m.type[a];
  const tb = m.type[b];
  if (isNumber(ta) && isNumber(tb)) return numbersEqual(m, a, b);
  if (isBinary(ta) && isBinary(tb)) return ta === tb && ta === T.Bytes ? sameText(m, a, b) : sameBytes(m, a, b);
  if (isSet(ta) && isSet(tb)) return m.size[a] === m.size[b] && containsAll(m, a, b);
  if (ta !== tb) return false;
  switch (ta) {
    case T.Str:
      return sameText(m, a, b);
    case T.Tuple:
    case T.List:
      return m.size[a] === m.size[b] && sameItems(m, a, b);
    case T.Dict:
      return m.size[a] === m.size[b] && sameMapping(m, a, b);
    default:
      return false;
  }
}

export const isBinary = (t: number): boolean => t === T.Bytes || t === T.ByteArray;
export const isSet = (t: number): boolean => t === T.Set || t === T.FrozenSet;

/** A bytes' or a bytearray's bytes. */
export function binaryOf(m: HeapMemory, id: number): number[] {
  return bytesOf(m, id, m.type[id] === T.ByteArray ? BA_BYTES : 0);
}

function sameBytes(m: HeapMemory, a: number, b: number): boolean {
  const [x, y] = [binaryOf(m, a), binaryOf(m, b)];
  return x.length === y.length && x.every((byte, i) => byte === y[i]);
}

/** Whether every key of dict `a` is in dict `b` with an equal value (their lengths being equal). */
function sameMapping(m: HeapMemory, a: number, b: number): boolean {
  const n = childCount(m, a);
  for (let k = 0; k < n; k += 2) {
    const key = childAt(m, a, k);
    if (key === 0) continue;
    const at = indexOfEqual(m, b, key, 2);
    if (at < 0 || !pyEquals(m, childAt(m, a, k + 1), childAt(m, b, at + 1))) return false;
  }
  return true;
}

const isNumber = (t: number): boolean => t === T.Bool || t === T.Int || t === T.Float || t === T.Complex;

function numbersEqual(m: HeapMemory, a: number, b: number): boolean {
  if (m.type[a] === T.Complex || m.type[b] === T.Complex) {
    if (imagPart(m, a) !== imagPart(m, b)) return false;
    // A big int against a complex's real part: exactly, as against a float.
    const big = (m.flags[a] & F_BIG) !== 0 ? a : (m.flags[b] & F_BIG) !== 0 ? b : -1;
    if (big !== -1) return compareIntWithFloat(intValue(m, big), realPart(m, big === a ? b : a)) === 0;
    return realPart(m, a) === realPart(m, b);
  }
  const bigA = (m.flags[a] & F_BIG) !== 0;
  const bigB = (m.flags[b] & F_BIG) !== 0;
  if (bigA || bigB) {
    if (m.type[a] === T.Float || m.type[b] === T.Float) return compareIntWithFloat(intValue(m, bigA ? a : b), numberOf(m, bigA ? b : a)) === 0;
    return intValue(m, a) === intValue(m, b);
  }
  return numberOf(m, a) === numberOf(m, b);
}

function sameItems(m: HeapMemory, a: number, b: number): boolean {
  const n = childCount(m, a);
  for (let k = 0; k < n; k++) if (!pyEquals(m, childAt(m, a, k), childAt(m, b, k))) return false;
  return true;
}

/** Whether set `a` holds every item of set `b`. */
export function containsAll(m: HeapMemory, a: number, b: number): boolean {
  const n = childCount(m, b);
  for (let k = 0; k < n; k++) {
    const item = childAt(m, b, k);
    if (item !== 0 && indexOfEqual(m, a, item) < 0) return false;
  }
  return true;
}

/**
 * The reference slot of `container` (in childAt order) holding an item equal to
 * `item`, or -1; `stride` 2 looks at a dict's keys only (each value follows its key).
 */
export function indexOfEqual(m: HeapMemory, container: number, item: number, stride = 1): number {
  const n = childCount(m, container);
  for (let k = 0; k < n; k += stride) {
    const other = childAt(m, container, k);
    if (other !== 0 && pyEquals(m, other, item)) return k;
  }
  return -1;
}

/** Throws Python's TypeError for an unhashable key. */
export function checkHashable(m: HeapMemory, id: number): void {
  const t = m.type[id];
  if (t === T.List || t === T.Dict || t === T.Set || t === T.ByteArray) throw new TypeError(`unhashable type: '${TYPE_NAMES[t]}'`);
  if (t === T.Tuple) for (let k = 0; k < m.size[id]; k++) checkHashable(m, childAt(m, id, k));
}
