/*
 * Evaluating a Python expression the way CPython 3.11's compiler and ceval build
 * it (Python/compile.c: starunpack_helper, compiler_dict, compiler_subdict,
 * compiler_comprehension; the BUILD_* opcodes in Python/ceval.c), since how a
 * container is built decides its size:
 * - a list or set display of more than two items, all constants: an empty one,
 *   then LIST_EXTEND / SET_UPDATE from a constant tuple / frozenset;
 * - more than 30 items (STACK_USE_GUIDELINE): an empty one, then LIST_APPEND /
 *   SET_ADD per item; otherwise BUILD_LIST n (exactly n slots) / BUILD_SET n;
 * - a dict display is built in chunks: up to 16 pairs by BUILD_CONST_KEY_MAP (all
 *   keys constant, more than one) or BUILD_MAP n, both presized; a chunk over 15
 *   pairs by BUILD_MAP 0 and MAP_ADD per pair; later chunks merged by DICT_UPDATE;
 * - a comprehension: an empty list, set or dict, then LIST_APPEND / SET_ADD /
 *   MAP_ADD per item, so it grows as appends grow it;
 * - constants are the compilation's (code-object.ts: equal constants are one
 *   object); operators left unfolded run at run time (operators.ts); calls are
 *   the builtins of builtins.ts.
 * Names are a comprehension's loop variables (NameError otherwise).
 */
import { callBuiltin } from './builtins.js';
import { CodeConstants } from './code-object.js';
import { checkHashedItems, NotModelledError, type Constant } from './constant.js';
import { BUILTIN_NAMES } from './builtin-names.js';
import { withComparisonBudget } from './compare.js';
import { dictItems, dictMergeResize, dictSetItem, newDict, newDictPresized } from './dict.js';
import { NameError } from './errors.js';
import { makeRange, type Iterable, itemsOf } from './iteration.js';
import { parseLiteral, type LiteralNode } from './literal.js';
import { listAppend, listExtend, newList, newTuple } from './list.js';
import type { HeapMemory } from './memory.js';
import { newBool } from './numbers.js';
import { runBinary, runUnary } from './operators.js';
import { decref } from './refcount.js';
import { newSet, setAdd, setMembers, setMerge } from './set.js';
import { DEFAULT_PROFILE } from './profile.js';
import { T } from './types.js';
import { compare, isTrue } from './values.js';

const STACK_USE_GUIDELINE = DEFAULT_PROFILE.compiler.stackUseGuideline;

/** The model's bound on the key comparisons of one evaluation (set(range(5000)) makes 12.5 million). */
const MAX_COMPARISONS = 20_000_000;

/** The model's bound on the items all the comprehensions of one evaluation go through (nested loops multiply). */
const MAX_ITERATIONS = 1_000_000;

/** What evaluation needs: the heap, the compilation's constants, the comprehension variables in scope, and the iterations left. */
interface Frame {
  m: HeapMemory;
  constants: CodeConstants;
  names: Map<string, number>;
  iterations: { left: number };
}

/** A new reference to the value of a Python expression, compiled and run as CPython does. */
export function evaluateLiteral(m: HeapMemory, source: string): number {
  return evaluateInOneCompilation(m, [source])[0];
}

/**
 * The values of several expressions compiled together, as the statements of one
 * module (`a = 257; b = 257`): they share the compilation's constants.
 */
export function evaluateInOneCompilation(m: HeapMemory, sources: string[]): number[] {
  const nodes = sources.map(parseLiteral);
  const frame: Frame = { m, constants: new CodeConstants(m), names: new Map(), iterations: { left: MAX_ITERATIONS } };
  const values: number[] = [];
  try {
    return withComparisonBudget(MAX_COMPARISONS, () => {
      for (const node of nodes) values.push(evaluate(frame, node));
      return values;
    });
  } catch (error) {
    values.forEach((value) => decref(m, value));
    throw error;
  } finally {
    frame.constants.release();
  }
}

function evaluate(frame: Frame, node: LiteralNode): number {
  const { m } = frame;
  switch (node.kind) {
    case 'const':
      return frame.constants.load(node.value);
    case 'list':
      return sequence(frame, node.items, 'list');
    case 'set':
      return sequence(frame, node.items, 'set');
    case 'tuple':
      return newTuple(m, evaluateAll(frame, node.items));
    case 'dict':
      return dictDisplay(frame, node.keys, node.values);
    case 'binary':
      return withOperands(frame, [node.left, node.right], ([a, b]) => runBinary(m, node.op, a, b));
    case 'unary':
      return withOperands(frame, [node.operand], ([a]) => runUnary(m, node.op, a));
    case 'compare':
      return newBool(m, comparison(frame, node.first, node.rest));
    case 'name': {
      const value = frame.names.get(node.name);
      if (value === undefined && BUILTIN_NAMES.has(node.name)) throw new NotModelledError(`the model does not evaluate the built-in ${node.name} itself (a function, type or exception as a value)`);
      if (value === undefined) throw new NameError(`name '${node.name}' is not defined`);
      m.refcnt[value]++;
      return value;
    }
    case 'call':
      return withArguments(frame, node.args, (args) => callBuiltin(m, node.callee, args));
    case 'comprehension':
      return comprehension(frame, node);
  }
}

/** Runs `fill` on a new container and returns it; on an error the container is dropped. */
function filled(m: HeapMemory, container: number, fill: () => void): number {
  try {
    fill();
    return container;
  } catch (error) {
    decref(m, container);
    throw error;
  }
}

/** Evaluates the nodes in order; on an error, drops what was made. */
function evaluateAll(frame: Frame, nodes: LiteralNode[]): number[] {
  const values: number[] = [];
  try {
    for (const node of nodes) values.push(evaluate(frame, node));
    return values;
  } catch (error) {
    values.forEach((value) => decref(frame.m, value));
    throw error;
  }
}

/** Runs `use` on the operands' values (new references, dropped after). */
function withOperands(frame: Frame, nodes: LiteralNode[], use: (values: number[]) => number): number {
  const values = evaluateAll(frame, nodes);
  try {
    return use(values);
  } finally {
    values.forEach((value) => decref(frame.m, value));
  }
}

/** A call's arguments: range(...) stays a range (the model has no range objects); anything else is evaluated. */
function withArguments(frame: Frame, nodes: LiteralNode[], use: (args: Iterable[]) => number): number {
  const args: Iterable[] = [];
  try {
    for (const node of nodes) args.push(argument(frame, node));
    return use(args);
  } finally {
    for (const arg of args) if ('ref' in arg) decref(frame.m, arg.ref);
  }
}

function argument(frame: Frame, node: LiteralNode): Iterable {
  if (node.kind !== 'call' || node.callee !== 'range') return { ref: evaluate(frame, node) };
  const bounds = evaluateAll(frame, node.args);
  try {
    return { range: makeRange(frame.m, bounds) };
  } finally {
    bounds.forEach((value) => decref(frame.m, value));
  }
}

function comparison(frame: Frame, first: LiteralNode, rest: { op: '==' | '!=' | '<' | '<=' | '>' | '>='; right: LiteralNode }[]): boolean {
  let left = evaluate(frame, first);
  try {
    for (const { op, right } of rest) {
      const value = evaluate(frame, right);
      const holds = compare(frame.m, op, left, value);
      decref(frame.m, left);
      left = value;
      if (!holds) return false;
    }
    return true;
  } finally {
    decref(frame.m, left);
  }
}

/** A comprehension: its own scope; an empty container, then one LIST_APPEND / SET_ADD / MAP_ADD per item. */
function comprehension(frame: Frame, node: Extract<LiteralNode, { kind: 'comprehension' }>): number {
  const { m } = frame;
  const result = node.type === 'list' ? newList(m, []) : node.type === 'set' ? newSet(m, T.Set) : newDict(m);
  const scope: Frame = { ...frame, names: new Map(frame.names) };
  const add = () => {
    if (node.type === 'dict') {
      withOperands(scope, [node.element, node.value as LiteralNode], ([key, value]) => {
        dictSetItem(m, result, key, value);
        return 0;
      });
      return;
    }
    withOperands(scope, [node.element], ([item]) => {
      if (node.type === 'list') listAppend(m, result, item);
      else setAdd(m, result, item);
      return 0;
    });
  };
  const hashed = node.type !== 'list';
  const loop = (index: number): void => {
    const clause = node.clauses[index];
    const source = index === 0 ? frame : scope;
    const items = itemsOf(m, forIterable(source, clause.iterable));
    try {
      for (const item of items) {
        if (--frame.iterations.left < 0) throw new NotModelledError(`the model runs comprehensions of at most ${MAX_ITERATIONS} iterations in all`);
        scope.names.set(clause.target, item);
        if (!clause.conditions.every((condition) => withOperands(scope, [condition], ([value]) => (isTrue(m, value) ? 1 : 0)) === 1)) continue;
        if (index + 1 < node.clauses.length) loop(index + 1);
        else {
          if (hashed) checkHashedItems(m.size[result] + 1);
          add();
        }
      }
    } finally {
      items.forEach((item) => decref(m, item));
    }
  };
  return filled(m, result, () => loop(0));
}

const isConst = (node: LiteralNode): node is { kind: 'const'; value: Constant } => node.kind === 'const';
const foldsToConstant = (items: LiteralNode[]): boolean => items.length > 2 && items.every(isConst);
const isBig = (n: number): boolean => n > STACK_USE_GUIDELINE;
const isBigDictChunk = (n: number): boolean => n * 2 > STACK_USE_GUIDELINE;

/** The bytecode CPython 3.11 compiles the top of an expression to, in words. */
export function describeBuild(node: LiteralNode): string {
  switch (node.kind) {
    case 'const':
      return 'LOAD_CONST (a constant of the code object)';
    case 'list':
    case 'set': {
      const [build, add, extend, folded] = node.kind === 'list' ? ['BUILD_LIST', 'LIST_APPEND', 'LIST_EXTEND', 'tuple'] : ['BUILD_SET', 'SET_ADD', 'SET_UPDATE', 'frozenset'];
      if (foldsToConstant(node.items)) return `${build} 0, LOAD_CONST (a ${folded} of the ${node.items.length} constants), ${extend} 1`;
      if (isBig(node.items.length)) return `${build} 0, then ${add} for each of the ${node.items.length} items`;
      return `${build} ${node.items.length}`;
    }
    case 'tuple':
      return isBig(node.items.length) ? 'BUILD_LIST 0, LIST_APPEND each item, LIST_TO_TUPLE' : `BUILD_TUPLE ${node.items.length}`;
    case 'dict': {
      const n = node.keys.length;
      if (n === 0) return 'BUILD_MAP 0';
      if (n > 16) return 'BUILD_MAP 0 and MAP_ADD for the first 17 pairs, the rest in presized chunks merged by DICT_UPDATE';
      return n > 1 && node.keys.every(isConst) ? `BUILD_CONST_KEY_MAP ${n} (presized)` : `BUILD_MAP ${n} (presized)`;
    }
    case 'binary':
      if (node.op === '+' && node.left.kind === 'list') return 'BINARY_OP + (list_concat allocates exactly len(a) + len(b) slots)';
      if (node.op === '*' && (node.left.kind === 'list' || node.right.kind === 'list')) return 'BINARY_OP * (list_repeat allocates exactly len * n slots)';
      return `BINARY_OP ${node.op}, at run time (the optimizer does not fold it)`;
    case 'unary':
      return `UNARY_${node.op === '-' ? 'NEGATIVE' : node.op === '+' ? 'POSITIVE' : 'INVERT'}, at run time`;
    case 'compare':
      return 'COMPARE_OP';
    case 'name':
      return 'LOAD_FAST';
    case 'call':
      return `CALL ${node.callee}()${CALL_NOTES[node.callee] ?? ''}`;
    case 'comprehension': {
      const add = node.type === 'list' ? 'LIST_APPEND' : node.type === 'set' ? 'SET_ADD' : 'MAP_ADD';
      return `a comprehension: BUILD_${node.type === 'dict' ? 'MAP' : node.type.toUpperCase()} 0, then ${add} per item (it grows as appends grow it)`;
    }
  }
}

const CALL_NOTES: Partial<Record<string, string>> = {
  list: ': preallocates len(x) slots, rounded up to even (list_preallocate_exact)',
  tuple: ': exactly len(x) items',
  set: ': one resize up front from a set or dict, else an add per item',
  frozenset: ': one resize up front from a set or dict, else an add per item',
  'dict.fromkeys': ': presized from a dict or set, else an insert per key',
  bytearray: ': an exact buffer, except from an iterable of ints (appends)',
};

function sequence(frame: Frame, items: LiteralNode[], kind: 'list' | 'set'): number {
  const { m } = frame;
  const n = items.length;
  if (kind === 'set') checkHashedItems(n);
  if (foldsToConstant(items)) {
    const folded = frame.constants.load({ kind: 'tuple', items: items.map((item) => (item as { value: Constant }).value) });
    const result = kind === 'list' ? newList(m, []) : newSet(m, T.Set);
    if (kind === 'list') listExtend(m, result, childrenOf(m, folded));
    else {
      const frozen = frozensetConstant(m, folded);
      setMerge(m, result, frozen);
      decref(m, frozen);
    }
    decref(m, folded);
    return result;
  }
  if (isBig(n)) {
    const result = kind === 'list' ? newList(m, []) : newSet(m, T.Set);
    return filled(m, result, () => {
      for (const item of items) {
        withOperands(frame, [item], ([value]) => {
          if (kind === 'list') listAppend(m, result, value);
          else setAdd(m, result, value);
          return 0;
        });
      }
    });
  }
  const values = evaluateAll(frame, items);
  if (kind === 'list') return newList(m, values);
  try {
    const result = newSet(m, T.Set);
    return filled(m, result, () => values.forEach((value) => setAdd(m, result, value)));
  } finally {
    values.forEach((value) => decref(m, value));
  }
}

function childrenOf(m: HeapMemory, tuple: number): number[] {
  return Array.from({ length: m.size[tuple] }, (_, i) => m.store[m.data[tuple] + i]);
}

/** A `for` clause's iterable: a set display of constants is a frozenset constant, as CPython's AST optimizer makes it (fold_iter). */
function forIterable(frame: Frame, node: LiteralNode): Iterable {
  if (node.kind !== 'set' || !foldsToConstant(node.items)) return argument(frame, node);
  const folded = frame.constants.load({ kind: 'tuple', items: node.items.map((item) => (item as { value: Constant }).value) });
  try {
    return { ref: frozensetConstant(frame.m, folded) };
  } finally {
    decref(frame.m, folded);
  }
}

/**
 * The compiler's frozenset constant of a set display: PyFrozenSet_New(tuple), an
 * add per item, then rebuilt the same way from its own iteration order by
 * compile.c's merge_consts_recursive, which moves items that collided.
 */
function frozensetConstant(m: HeapMemory, tuple: number): number {
  const built = frozensetOf(m, childrenOf(m, tuple));
  try {
    return frozensetOf(m, setMembers(m, built));
  } finally {
    decref(m, built);
  }
}

function frozensetOf(m: HeapMemory, items: readonly number[]): number {
  const frozen = newSet(m, T.FrozenSet);
  for (const item of items) setAdd(m, frozen, item);
  return frozen;
}

function dictDisplay(frame: Frame, keys: LiteralNode[], values: LiteralNode[]): number {
  const { m } = frame;
  const n = keys.length;
  checkHashedItems(n);
  let result = 0;
  let elements = 0;
  const chunk = (begin: number, end: number) => {
    const sub = subdict(frame, keys.slice(begin, end), values.slice(begin, end));
    if (result === 0) result = sub;
    else {
      dictUpdate(m, result, sub);
      decref(m, sub);
    }
  };
  try {
    for (let i = 0; i < n; i++) {
      if (elements * 2 > STACK_USE_GUIDELINE) {
        chunk(i - elements, i + 1);
        elements = 0;
      } else {
        elements++;
      }
    }
    if (elements > 0) chunk(n - elements, n);
  } catch (error) {
    if (result !== 0) decref(m, result);
    throw error;
  }
  return result === 0 ? newDict(m) : result;
}

function subdict(frame: Frame, keys: LiteralNode[], values: LiteralNode[]): number {
  const { m } = frame;
  const n = keys.length;
  if (isBigDictChunk(n)) {
    const dict = newDict(m);
    return filled(m, dict, () => {
      for (let i = 0; i < n; i++) {
        withOperands(frame, [keys[i], values[i]], ([key, value]) => {
          dictSetItem(m, dict, key, value);
          return 0;
        });
      }
    });
  }
  // BUILD_CONST_KEY_MAP n (the values, then a constant tuple of the keys) or BUILD_MAP n (key, value, key, ...):
  // _PyDict_FromItems, presized, unicode when every key is a str.
  const constKeys = n > 1 && keys.every(isConst);
  const refs = constKeys ? evaluateAll(frame, [...values, ...keys]) : evaluateAll(frame, keys.flatMap((key, i) => [key, values[i]]));
  const keyRefs = constKeys ? refs.slice(n) : refs.filter((_, i) => i % 2 === 0);
  const valueRefs = constKeys ? refs.slice(0, n) : refs.filter((_, i) => i % 2 === 1);
  try {
    const dict = newDictPresized(m, n, keyRefs.every((key) => m.type[key] === T.Str));
    return filled(m, dict, () => keyRefs.forEach((key, i) => dictSetItem(m, dict, key, valueRefs[i])));
  } finally {
    refs.forEach((ref) => decref(m, ref));
  }
}

/** DICT_UPDATE -> dict_merge: one resize up front when the other dict will not fit, then inserts. */
function dictUpdate(m: HeapMemory, target: number, other: number): void {
  dictMergeResize(m, target, other);
  for (const [key, value] of dictItems(m, other)) dictSetItem(m, target, key, value);
}

