/*
 * The AST optimizer's constant folding (Python/ast_opt.c, CPython 3.11): a unary
 * or binary operation whose operands are constants becomes its result, and a
 * tuple display of constants becomes a constant tuple, bottom up. Folding gives
 * up silently, leaving the operation for run time, when the operation raises
 * (1/0 raises when it runs) or when its result could be large:
 * - a * b of two nonzero ints with more than MAX_INT_SIZE (128) bits together;
 * - a ** b of ints when bits(a) > 128 / b; a << b when b > 128 or bits(a) > 128 - b;
 * - a str or bytes times n beyond MAX_STR_SIZE (4096) characters, a tuple times n
 *   beyond MAX_COLLECTION_SIZE (256) items or MAX_TOTAL_ITEMS (1024) nested items,
 *   or times a negative n;
 * - str % anything and bytes % anything (formatting is left to run time).
 * What is folded is one constant of the code object; what is not is computed
 * anew when the expression runs, which decides object identity.
 */
import { binaryOp, bitLength, intOf, sequenceLength, unaryOp } from './arith.js';
import type { Constant } from './constant.js';
import type { LiteralNode } from './literal.js';
import { DEFAULT_PROFILE } from './profile.js';

const {
  maxIntSize: MAX_INT_SIZE,
  maxCollectionSize: MAX_COLLECTION_SIZE,
  maxStrSize: MAX_STR_SIZE,
  maxTotalItems: MAX_TOTAL_ITEMS,
} = DEFAULT_PROFILE.compiler;

export function foldConstants(node: LiteralNode): LiteralNode {
  switch (node.kind) {
    case 'const':
    case 'name':
      return node;
    case 'list':
    case 'set':
      return { kind: node.kind, items: node.items.map(foldConstants) };
    case 'tuple': {
      const items = node.items.map(foldConstants);
      if (items.every(isConstant)) return { kind: 'const', value: { kind: 'tuple', items: items.map((item) => item.value) } };
      return { kind: 'tuple', items };
    }
    case 'dict':
      return { kind: 'dict', keys: node.keys.map(foldConstants), values: node.values.map(foldConstants) };
    case 'unary': {
      const operand = foldConstants(node.operand);
      const folded = isConstant(operand) ? attempt(() => unaryOp(node.op, operand.value)) : undefined;
      return folded === undefined ? { kind: 'unary', op: node.op, operand } : { kind: 'const', value: folded };
    }
    case 'binary': {
      const left = foldConstants(node.left);
      const right = foldConstants(node.right);
      const folded = isConstant(left) && isConstant(right) && isSafe(node.op, left.value, right.value) ? attempt(() => binaryOp(node.op, left.value, right.value)) : undefined;
      return folded === undefined ? { kind: 'binary', op: node.op, left, right } : { kind: 'const', value: folded };
    }
    case 'compare':
      return { kind: 'compare', first: foldConstants(node.first), rest: node.rest.map(({ op, right }) => ({ op, right: foldConstants(right) })) };
    case 'call':
      return { kind: 'call', callee: node.callee, args: node.args.map(foldConstants) };
    case 'comprehension':
      return {
        ...node,
        element: foldConstants(node.element),
        value: node.value === undefined ? undefined : foldConstants(node.value),
        clauses: node.clauses.map((clause) => ({ target: clause.target, iterable: foldConstants(clause.iterable), conditions: clause.conditions.map(foldConstants) })),
      };
  }
}

const isConstant = (node: LiteralNode): node is { kind: 'const'; value: Constant } => node.kind === 'const';

/** The operation's result, or undefined when it raises (make_const clears the error and leaves the node). */
function attempt(operation: () => Constant): Constant | undefined {
  try {
    return operation();
  } catch {
    return undefined;
  }
}

const isInt = (c: Constant): boolean => c.kind === 'int' || c.kind === 'bool';
const nonzero = (c: Constant): boolean => intOf(c) !== 0n;

/** safe_multiply, safe_power, safe_lshift and safe_mod: may the optimizer compute this? */
function isSafe(op: string, a: Constant, b: Constant): boolean {
  if (op === '*') return safeMultiply(a, b);
  if (op === '**' && isInt(a) && isInt(b) && nonzero(a) && intOf(b) > 0n) return bitLength(intOf(a)) <= MAX_INT_SIZE / Number(intOf(b));
  if (op === '<<' && isInt(a) && isInt(b) && nonzero(a) && nonzero(b)) {
    const shift = intOf(b);
    return shift > 0n && shift <= BigInt(MAX_INT_SIZE) && bitLength(intOf(a)) <= MAX_INT_SIZE - Number(shift);
  }
  if (op === '%') return a.kind !== 'str' && a.kind !== 'bytes';
  return true;
}

function safeMultiply(a: Constant, b: Constant): boolean {
  if (isInt(a) && isInt(b)) return !nonzero(a) || !nonzero(b) || bitLength(intOf(a)) + bitLength(intOf(b)) <= MAX_INT_SIZE;
  if (!isInt(a)) return isInt(b) ? safeMultiply(b, a) : true;
  const size = sequenceLength(b);
  if (size === 0 || !['tuple', 'str', 'bytes'].includes(b.kind)) return true;
  const n = intOf(a);
  if (b.kind === 'tuple') {
    if (n < 0n || n > BigInt(Math.floor(MAX_COLLECTION_SIZE / size))) return false;
    return n === 0n || complexity(b, Math.floor(MAX_TOTAL_ITEMS / Number(n))) >= 0;
  }
  return n >= 0n && n <= BigInt(Math.floor(MAX_STR_SIZE / size));
}

/** check_complexity: the limit less the items of a tuple and of the tuples inside it. */
function complexity(c: Constant, limit: number): number {
  if (c.kind !== 'tuple') return limit;
  let left = limit - c.items.length;
  for (const item of c.items) {
    if (left < 0) break;
    left = complexity(item, left);
  }
  return left;
}
