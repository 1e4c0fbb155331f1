/*
 * Thread states and their frame stacks (Python/ceval.c, CPython 3.11).
 *
 * Each thread slot holds a stack of frames: the module frame at depth 1, then one
 * per call in progress, each with its function's name, its current line and its
 * fast locals. A call that would make the stack deeper than the recursion limit
 * raises RecursionError("maximum recursion depth exceeded") (3.11 counts every
 * Python frame, the module's included, so a plain recursive function called from
 * module level reaches depth limit - 1). Frames live in 3.11's per-thread data
 * stack, not in pymalloc, so pushing one allocates nothing there. Names bound in
 * the module frame go into the module's globals dict (a real dict on the heap);
 * names bound in a function frame are fast locals, released in order when the
 * frame returns.
 * Layout: per thread [depth, frame 0, frame 1, ...], a frame = FRAME_WORDS words
 * (F_FUNCTION, F_LINE, F_LOCALS store offset of (name, value) pairs, F_NLOCALS).
 */
import { MemoryError, ValueError } from '../errors.js';
import { dictDelItem, dictGetItem, dictSetItem } from './dict.js';
import { NameError, RecursionError } from './errors.js';
import { FRAME_WORDS, F_FUNCTION, F_LINE, F_LOCALS, F_NLOCALS, H_GLOBALS, H_RECURSION_LIMIT, type HeapMemory } from './memory.js';
import { decref, incref } from './refcount.js';
import { storeFree, storeGrow } from './store.js';
import { threadBase } from './trace-context.js';
import { textOf } from './unicode.js';

export function initThreads(m: HeapMemory): void {
  for (let t = 0; t < m.handle.threads; t++) {
    const base = threadBase(m, t);
    m.frames[base] = 1;
    m.frames.fill(0, base + 1, base + 1 + FRAME_WORDS);
    m.frames[base + 1 + F_LOCALS] = -1;
  }
}

function checkThread(m: HeapMemory, thread: number): number {
  if (!Number.isInteger(thread) || thread < 0 || thread >= m.handle.threads) {
    throw new ValueError(`thread ${thread} does not exist: this heap has thread slots 0..${m.handle.threads - 1}`);
  }
  return threadBase(m, thread);
}

export function frameDepth(m: HeapMemory, thread: number): number {
  return m.frames[checkThread(m, thread)];
}

const topFrame = (m: HeapMemory, base: number): number => base + 1 + (m.frames[base] - 1) * FRAME_WORDS;

/** A call: pushes a frame for the function named by `name` (an interned str, borrowed). */
export function pushFrame(m: HeapMemory, thread: number, name: number, line: number): void {
  const base = checkThread(m, thread);
  const depth = m.frames[base];
  if (depth >= m.header[H_RECURSION_LIMIT]) throw new RecursionError('maximum recursion depth exceeded');
  if (depth >= m.handle.framesPerThread) {
    throw new MemoryError(`the model's frame stack holds ${m.handle.framesPerThread} frames; make the heap with a larger framesPerThread`);
  }
  m.frames[base] = depth + 1;
  const f = topFrame(m, base);
  incref(m, name);
  m.frames[f + F_FUNCTION] = name;
  m.frames[f + F_LINE] = line;
  m.frames[f + F_LOCALS] = -1;
  m.frames[f + F_NLOCALS] = 0;
}

/** A return: releases the frame's locals in order, then pops it. The module frame cannot be popped. */
export function popFrame(m: HeapMemory, thread: number): void {
  const base = checkThread(m, thread);
  if (m.frames[base] <= 1) throw new ValueError('return outside function: only the module frame is left');
  const f = topFrame(m, base);
  const locals = m.frames[f + F_LOCALS];
  const n = m.frames[f + F_NLOCALS];
  const name = m.frames[f + F_FUNCTION];
  m.frames[base]--;
  for (let i = 0; i < n; i++) {
    decref(m, m.store[locals + 2 * i + 1]);
    decref(m, m.store[locals + 2 * i]);
  }
  if (locals > 0) storeFree(m, locals);
  decref(m, name);
}

export function setLine(m: HeapMemory, thread: number, line: number): void {
  m.frames[topFrame(m, checkThread(m, thread)) + F_LINE] = line;
}

export function frameAt(m: HeapMemory, thread: number, index: number): { functionName: number; line: number; locals: [number, number][] } {
  const f = checkThread(m, thread) + 1 + index * FRAME_WORDS;
  const locals: [number, number][] = [];
  for (let i = 0; i < m.frames[f + F_NLOCALS]; i++) locals.push([m.store[m.frames[f + F_LOCALS] + 2 * i], m.store[m.frames[f + F_LOCALS] + 2 * i + 1]]);
  return { functionName: m.frames[f + F_FUNCTION], line: m.frames[f + F_LINE], locals };
}

/** name = value (STORE_NAME / STORE_FAST): steals the caller's reference to value. `name` is an interned str (borrowed). */
export function bindName(m: HeapMemory, thread: number, name: number, value: number): void {
  const base = checkThread(m, thread);
  if (m.frames[base] === 1) {
    dictSetItem(m, m.header[H_GLOBALS], name, value);
    decref(m, value);
    return;
  }
  const f = topFrame(m, base);
  const slot = localSlot(m, f, name);
  if (slot >= 0) {
    const old = m.store[slot];
    m.store[slot] = value;
    decref(m, old);
    return;
  }
  const n = m.frames[f + F_NLOCALS];
  const locals = storeGrow(m, m.frames[f + F_LOCALS], 2 * (n + 1), 2 * n);
  incref(m, name);
  m.store[locals + 2 * n] = name;
  m.store[locals + 2 * n + 1] = value;
  m.frames[f + F_LOCALS] = locals;
  m.frames[f + F_NLOCALS] = n + 1;
}

/** A borrowed reference to the value bound to `name` in the current frame (then the module), or a NameError. */
export function lookupName(m: HeapMemory, thread: number, name: number): number {
  const base = checkThread(m, thread);
  if (m.frames[base] > 1) {
    const slot = localSlot(m, topFrame(m, base), name);
    if (slot >= 0) return m.store[slot];
  }
  const value = dictGetItem(m, m.header[H_GLOBALS], name);
  if (value === 0) throw new NameError(`name '${textOf(m, name)}' is not defined`);
  return value;
}

/** del name (DELETE_NAME / DELETE_FAST). */
export function unbindName(m: HeapMemory, thread: number, name: number): void {
  const base = checkThread(m, thread);
  if (m.frames[base] === 1) {
    if (dictGetItem(m, m.header[H_GLOBALS], name) === 0) throw new NameError(`name '${textOf(m, name)}' is not defined`);
    dictDelItem(m, m.header[H_GLOBALS], name);
    return;
  }
  const f = topFrame(m, base);
  const slot = localSlot(m, f, name);
  if (slot < 0) throw new NameError(`local variable '${textOf(m, name)}' referenced before assignment`);
  const locals = m.frames[f + F_LOCALS];
  const n = m.frames[f + F_NLOCALS];
  const value = m.store[slot];
  m.store.copyWithin(slot - 1, slot + 1, locals + 2 * n);
  m.frames[f + F_NLOCALS] = n - 1;
  decref(m, value);
  decref(m, name);
}

function localSlot(m: HeapMemory, f: number, name: number): number {
  const locals = m.frames[f + F_LOCALS];
  for (let i = 0; i < m.frames[f + F_NLOCALS]; i++) if (m.store[locals + 2 * i] === name) return locals + 2 * i + 1;
  return -1;
}

/**
 * sys.setrecursionlimit (3.11's checks and messages). The depth it checks counts the
 * Python frames and the call of sys.setrecursionlimit itself, a C call that takes a
 * recursion level too: from module level it is 2, so a limit of 1 or 2 is refused.
 */
export function setRecursionLimit(m: HeapMemory, thread: number, limit: number): void {
  if (!Number.isInteger(limit) || limit < 1) throw new ValueError('recursion limit must be greater or equal than 1');
  const depth = frameDepth(m, thread) + 1;
  if (depth >= limit) {
    throw new RecursionError(`cannot set the recursion limit to ${limit} at the recursion depth ${depth}: the limit is too low`);
  }
  m.header[H_RECURSION_LIMIT] = limit;
}
