/*
 * User classes, their instances, and functions (Objects/typeobject.c,
 * funcobject.c, CPython 3.11).
 *
 * A class is a heap type: a GC object of PyHeapTypeObject size (over the small
 * threshold, so the system allocator serves it). Its instances hold a reference
 * to it. An instance of a plain class is 56 bytes (object head and __weakref__,
 * the GC header, and 3.11's managed-dict pre-header); its attributes live in
 * 3.11's inline values, so no __dict__ object exists unless asked for (and the
 * model does not allocate that values array). An instance of a class with
 * __slots__ has one pointer per slot and no __dict__: setting another attribute
 * is an AttributeError. A function is a 152-byte GC object holding its name.
 * Store layout: class: its slot names; instance: (name, value) pairs; slots instance: one value per slot.
 */
import { AttributeError } from './errors.js';
import { track } from './gc-lists.js';
import type { HeapMemory } from './memory.js';
import { newObject } from './objects.js';
import { decref, incref } from './refcount.js';
import { storeAlloc, storeGrow } from './store.js';
import { textOf } from './unicode.js';
import { T } from './types.js';

/** A new class named by the interned str `name` (stolen), with `slots` (interned strs, stolen) or a __dict__ (null). */
export function newClass(m: HeapMemory, name: number, slots: number[] | null): number {
  const id = newObject(m, T.Type);
  m.aux[id] = name;
  m.size[id] = slots === null ? -1 : slots.length;
  if (slots !== null && slots.length > 0) {
    const d = storeAlloc(m, slots.length);
    slots.forEach((slot, i) => (m.store[d + i] = slot));
    m.data[id] = d;
  }
  track(m, id);
  return id;
}

/** cls(): a new instance (the class gains a reference). */
export function newInstance(m: HeapMemory, cls: number): number {
  const slots = m.size[cls];
  const id = slots < 0 ? newObject(m, T.Instance) : newObject(m, T.SlotsInstance, slots);
  incref(m, cls);
  m.aux[id] = cls;
  if (slots < 0) {
    m.data[id] = storeAlloc(m, 4);
  } else if (slots > 0) {
    const d = storeAlloc(m, slots);
    m.store.fill(0, d, d + slots);
    m.data[id] = d;
    m.size[id] = slots;
  }
  track(m, id);
  return id;
}

/** The store index holding attribute `name` (an interned str) of an instance, or -1. */
function attributeSlot(m: HeapMemory, id: number, name: number): number {
  const d = m.data[id];
  if (m.type[id] === T.Instance) {
    for (let i = 0; i < m.size[id]; i++) if (m.store[d + 2 * i] === name) return d + 2 * i + 1;
    return -1;
  }
  const cls = m.aux[id];
  for (let i = 0; i < m.size[cls]; i++) if (m.store[m.data[cls] + i] === name) return d + i;
  return -1;
}

/** setattr(obj, name, value): the instance takes a new reference to value (and to name, when new). */
export function setAttribute(m: HeapMemory, id: number, name: number, value: number): void {
  checkInstance(m, id, name);
  let slot = attributeSlot(m, id, name);
  if (slot < 0) {
    if (m.type[id] === T.SlotsInstance) throw new AttributeError(`'${className(m, id)}' object has no attribute '${textOf(m, name)}'`);
    const n = m.size[id];
    const d = storeGrow(m, m.data[id], 2 * (n + 1), 2 * n);
    m.data[id] = d;
    incref(m, name);
    m.store[d + 2 * n] = name;
    m.store[d + 2 * n + 1] = 0;
    m.size[id] = n + 1;
    slot = d + 2 * n + 1;
  }
  incref(m, value);
  const old = m.store[slot];
  m.store[slot] = value;
  if (old !== 0) decref(m, old);
}

/** A borrowed reference to the attribute, or an AttributeError. */
export function getAttribute(m: HeapMemory, id: number, name: number): number {
  checkInstance(m, id, name);
  const slot = attributeSlot(m, id, name);
  const value = slot < 0 ? 0 : m.store[slot];
  if (value === 0) throw new AttributeError(`'${className(m, id)}' object has no attribute '${textOf(m, name)}'`);
  return value;
}

/** delattr(obj, name). */
export function deleteAttribute(m: HeapMemory, id: number, name: number): void {
  const value = getAttribute(m, id, name);
  const slot = attributeSlot(m, id, name);
  if (m.type[id] === T.SlotsInstance) {
    m.store[slot] = 0;
    decref(m, value);
    return;
  }
  const d = m.data[id];
  const n = m.size[id];
  const key = m.store[slot - 1];
  m.store.copyWithin(slot - 1, slot + 1, d + 2 * n);
  m.size[id] = n - 1;
  decref(m, value);
  decref(m, key);
}

function checkInstance(m: HeapMemory, id: number, name: number): void {
  const t = m.type[id];
  if (t !== T.Instance && t !== T.SlotsInstance) {
    throw new AttributeError(`the model sets attributes on instances of user classes only, not on this object (attribute '${textOf(m, name)}')`);
  }
}

export function className(m: HeapMemory, id: number): string {
  return textOf(m, m.aux[m.aux[id]]);
}

/** A new function named by the interned str `name` (stolen). */
export function newFunction(m: HeapMemory, name: number): number {
  const id = newObject(m, T.Function);
  m.aux[id] = name;
  track(m, id);
  return id;
}
