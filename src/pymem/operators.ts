/*
 * The operators at run time (BINARY_OP, UNARY_*), on heap objects, for what the
 * AST optimizer left unfolded: numbers, strs, bytes and constant tuples go
 * through arith.ts and give a new object; lists and tuples of any items are
 * concatenated and repeated by reference, as list_concat / list_repeat and
 * tupleconcat / tuplerepeat do: the result holds exactly len(a) + len(b), or
 * len(a) * n, items ([1, 2] + [3] and [0] * 10 allocate no spare slots); a tuple
 * plus an empty tuple, or times 1, is the tuple itself.
 * Operands are borrowed; results are new references.
 */
import { binaryOp, intOf, repeatedLength, unaryOp, type BinaryOperator, type UnaryOperator } from './arith.js';
import { objectOf } from './code-object.js';
import { NotModelledError, type Constant } from './constant.js';
import { newList, newTuple } from './list.js';
import type { HeapMemory } from './memory.js';
import { incref } from './refcount.js';
import { sequenceItems } from './repr.js';
import { T, TYPE_NAMES } from './types.js';
import { constantOf } from './values.js';

const isSequence = (t: number): boolean => t === T.List || t === T.Tuple;
const isIntType = (t: number): boolean => t === T.Int || t === T.Bool;

export function runBinary(m: HeapMemory, op: BinaryOperator, a: number, b: number): number {
  const [ta, tb] = [m.type[a], m.type[b]];
  if (op === '+' && isSequence(ta) && ta === tb) return concat(m, a, b);
  if (op === '*' && isSequence(ta) && isIntType(tb)) return repeat(m, a, intOf(constantOf(m, b) as Constant));
  if (op === '*' && isSequence(tb) && isIntType(ta)) return repeat(m, b, intOf(constantOf(m, a) as Constant));
  const x = constantOf(m, a);
  const y = constantOf(m, b);
  if (x !== undefined && y !== undefined) return objectOf(m, binaryOp(op, x, y));
  throw operandError(m, op, ta, tb);
}

const isSet = (t: number): boolean => t === T.Set || t === T.FrozenSet || t === T.Dict;
const isText = (t: number): boolean => t === T.Str || t === T.Bytes || t === T.ByteArray;

/** Python's TypeError for operands the operator does not take (set, dict and bytearray operators are not modelled). */
function operandError(m: HeapMemory, op: BinaryOperator, ta: number, tb: number): Error {
  const [a, b] = [TYPE_NAMES[ta], TYPE_NAMES[tb]];
  if ((isSet(ta) && isSet(tb) && ['|', '&', '-', '^'].includes(op)) || ((ta === T.ByteArray || tb === T.ByteArray) && (op === '+' || op === '*'))) {
    return new NotModelledError(`the model does not apply ${op} to ${a} and ${b}`);
  }
  if (op === '+' && ta === T.Bytes) return new TypeError(`can't concat ${b} to bytes`);
  if (op === '+' && (isSequence(ta) || ta === T.Str)) return new TypeError(`can only concatenate ${a} (not "${b}") to ${a}`);
  if (op === '*' && (isSequence(ta) || isText(ta) || isSequence(tb) || isText(tb))) {
    return new TypeError(`can't multiply sequence by non-int of type '${isSequence(ta) || isText(ta) ? b : a}'`);
  }
  return new TypeError(`unsupported operand type(s) for ${op === '**' ? '** or pow()' : op}: '${a}' and '${b}'`);
}

export function runUnary(m: HeapMemory, op: UnaryOperator, a: number): number {
  const x = constantOf(m, a);
  if (x === undefined) throw new TypeError(`bad operand type for unary ${op}: '${TYPE_NAMES[m.type[a]]}'`);
  return objectOf(m, unaryOp(op, x));
}

function concat(m: HeapMemory, a: number, b: number): number {
  if (m.type[a] === T.Tuple && m.size[b] === 0) return shared(m, a);
  if (m.type[a] === T.Tuple && m.size[a] === 0) return shared(m, b);
  const items = [...sequenceItems(m, a), ...sequenceItems(m, b)];
  repeatedLength(items.length, 1n);
  return build(m, m.type[a], items);
}

function repeat(m: HeapMemory, seq: number, count: bigint): number {
  if (m.type[seq] === T.Tuple && count === 1n) return shared(m, seq);
  const items = sequenceItems(m, seq);
  const n = repeatedLength(items.length, count);
  return build(m, m.type[seq], Array.from({ length: n }, (_, i) => items[i % items.length]));
}

function build(m: HeapMemory, type: number, borrowed: number[]): number {
  for (const item of borrowed) incref(m, item);
  return type === T.List ? newList(m, borrowed) : newTuple(m, borrowed);
}

function shared(m: HeapMemory, id: number): number {
  incref(m, id);
  return id;
}
