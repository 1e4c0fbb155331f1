/*
 * A Python constant as the compiler holds it in co_consts, on the host side:
 * None, Ellipsis, bool, int (a bigint), float, complex, str (its code points, so
 * that two escaped lone surrogates stay two code points, as in CPython), bytes,
 * and tuples of constants. The AST optimizer folds expressions into these
 * (fold.ts), and the evaluator turns them into heap objects (evaluate.ts).
 *
 * Also the errors of reading an expression that are not Python's own: its
 * syntax (Python's SyntaxError), and what the model does not evaluate.
 */
import { ValueError } from '../errors.js';

export type Constant =
  | { kind: 'none' }
  | { kind: 'ellipsis' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'int'; value: bigint }
  | { kind: 'float'; value: number }
  | { kind: 'complex'; real: number; imag: number }
  | { kind: 'str'; points: number[] }
  | { kind: 'bytes'; value: number[] }
  | { kind: 'tuple'; items: Constant[] };

/**
 * The model's bound on a set or dict that an expression builds: its lookups scan
 * the entries (it keeps no hash index), so building n items costs n * n / 2
 * comparisons; past this bound that would take too long to wait for.
 */
export const MAX_HASHED_ITEMS = 5_000;

export function checkHashedItems(count: number): void {
  if (count > MAX_HASHED_ITEMS) throw new NotModelledError(`the model builds sets and dicts of at most ${MAX_HASHED_ITEMS} items (its lookups are linear scans)`);
}

/** A SyntaxError in an expression (a ValueError so that callers need not know the parser). */
export class LiteralSyntaxError extends ValueError {}

/** An expression Python evaluates but the model does not (a call it does not know, a value past its bounds). */
export class NotModelledError extends ValueError {}

const TYPE_NAMES: Record<Constant['kind'], string> = {
  none: 'NoneType',
  ellipsis: 'ellipsis',
  bool: 'bool',
  int: 'int',
  float: 'float',
  complex: 'complex',
  str: 'str',
  bytes: 'bytes',
  tuple: 'tuple',
};

/** type(value).__name__. */
export function constantTypeName(value: Constant): string {
  return TYPE_NAMES[value.kind];
}

export const str = (text: string): Constant => ({ kind: 'str', points: Array.from(text, (c) => c.codePointAt(0) as number) });
export const int = (value: bigint): Constant => ({ kind: 'int', value });
export const float = (value: number): Constant => ({ kind: 'float', value });

const floatBits = new Float64Array(1);
const floatWords = new Uint32Array(floatBits.buffer);
function bitsOf(x: number): string {
  floatBits[0] = x;
  return `${floatWords[1].toString(16)}.${floatWords[0].toString(16)}`;
}

/**
 * The key under which the compiler merges equal constants into one object
 * (_PyCode_ConstantKey): the type and the value, so 1, 1.0 and True stay apart,
 * and so do 0.0 and -0.0.
 */
export function constantKey(value: Constant): string {
  switch (value.kind) {
    case 'none':
    case 'ellipsis':
      return value.kind;
    case 'bool':
    case 'int':
      return `${value.kind}:${value.value}`;
    case 'float':
      return `float:${bitsOf(value.value)}`;
    case 'complex':
      return `complex:${bitsOf(value.real)}:${bitsOf(value.imag)}`;
    case 'str':
      return `str:${value.points.join(',')}`;
    case 'bytes':
      return `bytes:${value.value.join(',')}`;
    case 'tuple':
      return `tuple:(${value.items.map(constantKey).join(' ')})`;
  }
}
