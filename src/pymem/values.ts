/*
 * Reading heap objects back as values, for what the evaluator computes at run
 * time: an int, bool, float, complex, str, bytes, None, Ellipsis or a tuple of
 * those as a Constant (the operators of arith.ts then apply), Python's truth of
 * any object (bool(x)), and the comparison operators (== by value across the
 * numeric types and by contents otherwise, as compare.ts; < <= > >= between
 * numbers, between strs and between bytes, else Python's TypeError).
 */
import { childAt } from './children.js';
import { binaryOf, containsAll, isBinary, isSet, pyEquals } from './compare.js';
import { sequenceItem } from './list.js';
import type { Constant } from './constant.js';
import type { CompareOperator } from './literal.js';
import type { HeapMemory } from './memory.js';
import { compareIntWithFloat, complexPart, intValue, numberOf } from './numbers.js';
import { bytesOf } from './unicode.js';
import { T, TYPE_NAMES } from './types.js';

/** The object's value as a constant, or undefined for a mutable object (or a tuple holding one). */
export function constantOf(m: HeapMemory, id: number): Constant | undefined {
  switch (m.type[id]) {
    case T.None:
      return { kind: 'none' };
    case T.Ellipsis:
      return { kind: 'ellipsis' };
    case T.Bool:
      return { kind: 'bool', value: numberOf(m, id) === 1 };
    case T.Int:
      return { kind: 'int', value: intValue(m, id) };
    case T.Float:
      return { kind: 'float', value: numberOf(m, id) };
    case T.Complex:
      return { kind: 'complex', real: complexPart(m, id, 0), imag: complexPart(m, id, 1) };
    case T.Str:
      return { kind: 'str', points: bytesOf(m, id) };
    case T.Bytes:
      return { kind: 'bytes', value: bytesOf(m, id) };
    case T.Tuple: {
      const items: Constant[] = [];
      for (let k = m.size[id] - 1; k >= 0; k--) {
        const item = constantOf(m, childAt(m, id, k));
        if (item === undefined) return undefined;
        items.push(item);
      }
      return { kind: 'tuple', items };
    }
    default:
      return undefined;
  }
}

/** bool(x): false for None, zero numbers and empty containers; true for anything else. */
export function isTrue(m: HeapMemory, id: number): boolean {
  switch (m.type[id]) {
    case T.None:
      return false;
    case T.Bool:
    case T.Float:
      return numberOf(m, id) !== 0;
    case T.Int:
      return m.size[id] !== 0;
    case T.Complex:
      return complexPart(m, id, 0) !== 0 || complexPart(m, id, 1) !== 0;
    case T.Str:
    case T.Bytes:
    case T.ByteArray:
    case T.Tuple:
    case T.List:
    case T.Dict:
    case T.Set:
    case T.FrozenSet:
      return m.size[id] !== 0;
    default:
      return true;
  }
}

/** a <op> b. */
export function compare(m: HeapMemory, op: CompareOperator, a: number, b: number): boolean {
  if (op === '==') return pyEquals(m, a, b);
  if (op === '!=') return !pyEquals(m, a, b);
  const [ta, tb] = [m.type[a], m.type[b]];
  if (ta === tb && (ta === T.Tuple || ta === T.List)) return compareSequences(m, op, a, b);
  if (isSet(ta) && isSet(tb)) return compareSets(op, m, a, b);
  const order = ordering(m, a, b);
  if (order === undefined) {
    throw new TypeError(`'${op}' not supported between instances of '${TYPE_NAMES[m.type[a]]}' and '${TYPE_NAMES[m.type[b]]}'`);
  }
  return holds(op, order);
}

/**
 * Tuples or lists in order, as CPython's tuplerichcompare and list_richcompare: the
 * first items that differ (==) decide, compared with `op` itself (so they may raise
 * TypeError, named for their own types); if none differ, the lengths.
 */
function compareSequences(m: HeapMemory, op: Ordering, a: number, b: number): boolean {
  const shorter = Math.min(m.size[a], m.size[b]);
  for (let i = 0; i < shorter; i++) {
    const [x, y] = [sequenceItem(m, a, i), sequenceItem(m, b, i)];
    if (!pyEquals(m, x, y)) return compare(m, op, x, y);
  }
  return holds(op, Math.sign(m.size[a] - m.size[b]));
}

/** Sets by inclusion (set_richcompare): < a proper subset, <= a subset, and > and >= the other way round. */
function compareSets(op: Ordering, m: HeapMemory, a: number, b: number): boolean {
  const [small, large] = op === '<' || op === '<=' ? [a, b] : [b, a];
  const subset = m.size[small] <= m.size[large] && containsAll(m, large, small);
  return subset && (op === '<=' || op === '>=' || m.size[small] < m.size[large]);
}

type Ordering = Exclude<CompareOperator, '==' | '!='>;

/** Whether `op` holds for an order of -1, 0 or 1 (NaN: for none). */
function holds(op: Ordering, order: number): boolean {
  return op === '<' ? order < 0 : op === '<=' ? order <= 0 : op === '>' ? order > 0 : order >= 0;
}

const isReal = (t: number): boolean => t === T.Bool || t === T.Int || t === T.Float;

/** -1, 0 or 1 (NaN compares as neither: 2, false for every operator but !=), or undefined when the types do not order. */
function ordering(m: HeapMemory, a: number, b: number): number | undefined {
  const ta = m.type[a];
  const tb = m.type[b];
  if (isReal(ta) && isReal(tb)) {
    const x = realOf(m, a);
    const y = realOf(m, b);
    if (typeof x === 'bigint' && typeof y === 'bigint') return x < y ? -1 : x > y ? 1 : 0;
    if (typeof x === 'bigint') return compareIntWithFloat(x, y as number);
    if (typeof y === 'bigint') return -compareIntWithFloat(y, x);
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if ((ta === T.Str && tb === T.Str) || (isBinary(ta) && isBinary(tb))) {
    const [x, y] = ta === T.Str ? [bytesOf(m, a), bytesOf(m, b)] : [binaryOf(m, a), binaryOf(m, b)];
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    return Math.sign(x.length - y.length);
  }
  return undefined;
}

function realOf(m: HeapMemory, id: number): number | bigint {
  return m.type[id] === T.Float ? numberOf(m, id) : intValue(m, id);
}

