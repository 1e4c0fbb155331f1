/*
 * Evaluating a literal display the way CPython 3.11's compiler and ceval build it
 * (Python/compile.c: starunpack_helper, compiler_dict, compiler_subdict; the
 * BUILD_* opcodes in Python/ceval.c), since how a container is built decides its
 * size:
 * - a list or set display of more than two items, all constants: an empty one,
 *   then LIST_EXTEND / SET_UPDATE from a constant tuple / frozenset;
 * - more than 30 items (STACK_USE_GUIDELINE): an empty one, then LIST_APPEND /
 *   SET_ADD per item; otherwise BUILD_LIST n (exactly n slots) / BUILD_SET n;
 * - a dict display is built in chunks: up to 16 pairs by BUILD_CONST_KEY_MAP (all
 *   keys constant, more than one) or BUILD_MAP n, both presized; a chunk over 15
 *   pairs by BUILD_MAP 0 and MAP_ADD per pair; later chunks merged by DICT_UPDATE;
 * - tuples of constants are constants; a list display times an int is list_repeat.
 * Constants (the code object's co_consts) are made first and released at the end.
 */
import { dictItems, dictMergeResize, dictSetItem, newDict, newDictPresized } from './dict.js';
import { intern } from './interning.js';
import { listAppend, listExtend, newList, newTuple } from './list.js';
import { parseLiteral, type Constant, type LiteralNode } from './literal.js';
import { H_EMPTY_TUPLE, H_NONE, type HeapMemory } from './memory.js';
import { newBool, newComplex, newFloat, newInt } from './numbers.js';
import { decref } from './refcount.js';
import { newSet, setAdd, setMerge } from './set.js';
import { staticRef } from './statics.js';
import { isNameLike, newBytes, newStr } from './unicode.js';
import { T } from './types.js';

const STACK_USE_GUIDELINE = 30;

/** A new reference to the value of a Python literal, built as CPython builds it. */
export function evaluateLiteral(m: HeapMemory, source: string): number {
  return evaluate(m, parseLiteral(source));
}

export function evaluate(m: HeapMemory, node: LiteralNode): number {
  switch (node.kind) {
    case 'const':
      return constant(m, node.value);
    case 'list':
      return sequence(m, node.items, 'list');
    case 'set':
      return sequence(m, node.items, 'set');
    case 'tuple':
      return tupleDisplay(m, node.items);
    case 'dict':
      return dictDisplay(m, node.keys, node.values);
    case 'repeat':
      return repeat(m, node.list, node.times);
    case 'empty':
      return empty(m, node.type);
  }
}

/** A new reference to a constant, as the compiler makes co_consts (identifier-like strs interned). */
export function constant(m: HeapMemory, value: Constant): number {
  switch (value.kind) {
    case 'none':
      return staticRef(m, m.header[H_NONE]);
    case 'bool':
      return newBool(m, value.value);
    case 'int':
      return newInt(m, value.value);
    case 'float':
      return newFloat(m, value.value);
    case 'complex':
      return newComplex(m, value.real, value.imag);
    case 'str': {
      const id = newStr(m, value.value);
      return isNameLike(value.value) ? intern(m, id, (dropped) => decref(m, dropped)) : id;
    }
    case 'bytes':
      return newBytes(m, value.value);
    case 'tuple':
      return newTuple(m, value.items.map((item) => constant(m, item)), m.header[H_EMPTY_TUPLE]);
  }
}

const isConst = (node: LiteralNode): node is { kind: 'const'; value: Constant } => node.kind === 'const';
const foldsToConstant = (items: LiteralNode[]): boolean => items.length > 2 && items.every(isConst);
const isBig = (n: number): boolean => n > STACK_USE_GUIDELINE;
const isBigDictChunk = (n: number): boolean => n * 2 > STACK_USE_GUIDELINE;

/** The bytecode CPython 3.11 compiles the top of a display to, in words. */
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
    case 'repeat':
      return 'BUILD_LIST, then BINARY_OP * (list_repeat allocates exactly len * n slots)';
    case 'empty':
      return `CALL ${node.type}() with no arguments`;
  }
}

function sequence(m: HeapMemory, items: LiteralNode[], kind: 'list' | 'set'): number {
  const n = items.length;
  if (foldsToConstant(items)) {
    const folded = constant(m, { kind: 'tuple', items: items.map((item) => (item as { value: Constant }).value) });
    const result = kind === 'list' ? newList(m, []) : newSet(m, T.Set);
    if (kind === 'list') listExtend(m, result, childrenOf(m, folded));
    else {
      const frozen = frozensetOf(m, folded);
      setMerge(m, result, frozen);
      decref(m, frozen);
    }
    decref(m, folded);
    return result;
  }
  if (isBig(n)) {
    const result = kind === 'list' ? newList(m, []) : newSet(m, T.Set);
    for (const item of items) {
      const value = evaluate(m, item);
      if (kind === 'list') listAppend(m, result, value);
      else setAdd(m, result, value);
      decref(m, value);
    }
    return result;
  }
  const values = items.map((item) => evaluate(m, item));
  if (kind === 'list') return newList(m, values);
  const result = newSet(m, T.Set);
  for (const value of values) {
    setAdd(m, result, value);
    decref(m, value);
  }
  return result;
}

function childrenOf(m: HeapMemory, tuple: number): number[] {
  return Array.from({ length: m.size[tuple] }, (_, i) => m.store[m.data[tuple] + i]);
}

/** PyFrozenSet_New(tuple): a frozenset grown item by item. */
function frozensetOf(m: HeapMemory, tuple: number): number {
  const frozen = newSet(m, T.FrozenSet);
  for (const item of childrenOf(m, tuple)) setAdd(m, frozen, item);
  return frozen;
}

function empty(m: HeapMemory, type: 'list' | 'tuple' | 'dict' | 'set' | 'frozenset'): number {
  if (type === 'list') return newList(m, []);
  if (type === 'tuple') return newTuple(m, [], m.header[H_EMPTY_TUPLE]);
  if (type === 'dict') return newDict(m);
  return newSet(m, type === 'set' ? T.Set : T.FrozenSet);
}

function tupleDisplay(m: HeapMemory, items: LiteralNode[]): number {
  const values = items.map((item) => evaluate(m, item));
  return newTuple(m, values, m.header[H_EMPTY_TUPLE]);
}

function repeat(m: HeapMemory, listNode: LiteralNode, times: bigint): number {
  const list = evaluate(m, listNode);
  const items = Array.from({ length: m.size[list] }, (_, i) => m.store[m.data[list] + 3 + i]);
  const count = times <= 0n ? 0 : Number(times);
  const out: number[] = [];
  for (let r = 0; r < count; r++) for (const item of items) {
    m.refcnt[item]++;
    out.push(item);
  }
  // list_repeat: list_new_prealloc(size * n) allocates exactly that many slots.
  const result = newList(m, out);
  decref(m, list);
  return result;
}

function dictDisplay(m: HeapMemory, keys: LiteralNode[], values: LiteralNode[]): number {
  const n = keys.length;
  let result = 0;
  let elements = 0;
  const chunk = (begin: number, end: number) => {
    const sub = subdict(m, keys.slice(begin, end), values.slice(begin, end));
    if (result === 0) result = sub;
    else {
      dictUpdate(m, result, sub);
      decref(m, sub);
    }
  };
  for (let i = 0; i < n; i++) {
    if (elements * 2 > STACK_USE_GUIDELINE) {
      chunk(i - elements, i + 1);
      elements = 0;
    } else {
      elements++;
    }
  }
  if (elements > 0) chunk(n - elements, n);
  return result === 0 ? newDict(m) : result;
}

function subdict(m: HeapMemory, keys: LiteralNode[], values: LiteralNode[]): number {
  const n = keys.length;
  if (isBigDictChunk(n)) {
    const dict = newDict(m);
    for (let i = 0; i < n; i++) {
      const key = evaluate(m, keys[i]);
      const value = evaluate(m, values[i]);
      dictSetItem(m, dict, key, value);
      decref(m, key);
      decref(m, value);
    }
    return dict;
  }
  // BUILD_CONST_KEY_MAP n or BUILD_MAP n: _PyDict_FromItems, presized, unicode when every key is a str.
  const valueRefs = n > 1 && keys.every(isConst) ? values.map((v) => evaluate(m, v)) : [];
  const keyRefs: number[] = [];
  if (valueRefs.length === 0) {
    for (let i = 0; i < n; i++) {
      keyRefs.push(evaluate(m, keys[i]));
      valueRefs.push(evaluate(m, values[i]));
    }
  } else {
    for (const key of keys) keyRefs.push(evaluate(m, key));
  }
  const dict = newDictPresized(m, n, keyRefs.every((key) => m.type[key] === T.Str));
  for (let i = 0; i < n; i++) {
    dictSetItem(m, dict, keyRefs[i], valueRefs[i]);
    decref(m, keyRefs[i]);
    decref(m, valueRefs[i]);
  }
  return dict;
}

/** DICT_UPDATE -> dict_merge: one resize up front when the other dict will not fit, then inserts. */
function dictUpdate(m: HeapMemory, target: number, other: number): void {
  dictMergeResize(m, target, other);
  for (const [key, value] of dictItems(m, other)) dictSetItem(m, target, key, value);
}

