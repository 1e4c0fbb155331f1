/*
 * str and bytes (Objects/unicodeobject.c, Objects/bytesobject.c, CPython 3.11).
 *
 * A str is created in its compact form, chosen by its widest character (PEP 393):
 * ASCII (PyASCIIObject, 1 byte per char), latin-1 (PyCompactUnicodeObject, 1 byte),
 * UCS-2 (2 bytes) or UCS-4 (4 bytes), each with a trailing NUL, in one allocation.
 * The empty str, the empty bytes, every 1-character latin-1 str and every 1-byte
 * bytes are static singletons in 3.11 (_Py_SINGLETON), never allocated.
 * Code points (or byte values) are kept one per store word.
 */
import { H_STATIC_BYTES, H_STATIC_STRS, type HeapMemory } from './memory.js';
import { newObject } from './objects.js';
import { staticRef } from './statics.js';
import { storeAlloc } from './store.js';
import { KIND_ASCII, KIND_LATIN1, KIND_UCS2, KIND_UCS4, T } from './types.js';

export function strKind(codePoints: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < codePoints.length; i++) if (codePoints[i] > max) max = codePoints[i];
  return max < 0x80 ? KIND_ASCII : max < 0x100 ? KIND_LATIN1 : max < 0x10000 ? KIND_UCS2 : KIND_UCS4;
}

export function codePointsOf(text: string): number[] {
  return Array.from(text, (c) => c.codePointAt(0) as number);
}

/** A new reference to a str with these characters (a static singleton when 3.11 has one). */
export function newStr(m: HeapMemory, text: string): number {
  return newStrOfPoints(m, codePointsOf(text));
}

/**
 * A new reference to a str of these code points (lone surrogates included, each
 * one code point): the empty one and, when `oneCharCached` (as for a literal or
 * chr()), a latin-1 character are CPython's cached singletons; a str an int
 * formats itself into (str(5)) is new each time.
 */
export function newStrOfPoints(m: HeapMemory, points: ArrayLike<number>, oneCharCached = true): number {
  const kind = strKind(points);
  if (points.length === 0) return staticRef(m, m.header[H_STATIC_STRS]);
  if (oneCharCached && points.length === 1 && points[0] < 0x100) return staticRef(m, m.header[H_STATIC_STRS] + 1 + points[0]);
  const id = newObject(m, T.Str, points.length, kind);
  fillText(m, id, T.Str, kind, points);
  return id;
}

/** A new reference to a bytes object: the empty one and, when `oneByteCached`, a one-byte one are CPython's singletons (bytes(1), zero-filled by _PyBytes_FromSize, is not). */
export function newBytes(m: HeapMemory, values: ArrayLike<number>, oneByteCached = true): number {
  if (values.length === 0) return staticRef(m, m.header[H_STATIC_BYTES]);
  if (oneByteCached && values.length === 1) return staticRef(m, m.header[H_STATIC_BYTES] + 1 + values[0]);
  const id = newObject(m, T.Bytes, values.length);
  fillText(m, id, T.Bytes, 0, values);
  return id;
}

export function fillText(m: HeapMemory, id: number, type: number, kind: number, values: ArrayLike<number>): void {
  m.type[id] = type;
  m.aux[id] = kind;
  m.size[id] = values.length;
  if (values.length === 0) return;
  const d = storeAlloc(m, values.length);
  for (let i = 0; i < values.length; i++) m.store[d + i] = values[i];
  m.data[id] = d;
}

export function textOf(m: HeapMemory, id: number): string {
  const d = m.data[id];
  let out = '';
  for (let i = 0; i < m.size[id]; i++) out += String.fromCodePoint(m.store[d + i]);
  return out;
}

export function bytesOf(m: HeapMemory, id: number, offset = 0): number[] {
  const d = m.data[id] + offset;
  return Array.from({ length: m.size[id] }, (_, i) => m.store[d + i]);
}

/** Same characters (or bytes)? */
export function sameText(m: HeapMemory, a: number, b: number): boolean {
  const n = m.size[a];
  if (n !== m.size[b]) return false;
  const da = m.data[a];
  const db = m.data[b];
  for (let i = 0; i < n; i++) if (m.store[da + i] !== m.store[db + i]) return false;
  return true;
}

/** Same characters as a JS string? */
export function textEquals(m: HeapMemory, id: number, points: readonly number[]): boolean {
  if (m.size[id] !== points.length) return false;
  const d = m.data[id];
  for (let i = 0; i < points.length; i++) if (m.store[d + i] !== points[i]) return false;
  return true;
}

/** FNV-1a over the code points: the model's string hash (not CPython's SipHash). */
export function hashPoints(points: ArrayLike<number>): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < points.length; i++) h = Math.imul(h ^ points[i], 0x01000193);
  return h >>> 0;
}

export function hashStr(m: HeapMemory, id: number): number {
  const d = m.data[id];
  let h = 0x811c9dc5;
  for (let i = 0; i < m.size[id]; i++) h = Math.imul(h ^ m.store[d + i], 0x01000193);
  return h >>> 0;
}

/** Python identifiers' characters: literals made only of these are interned by the compiler (all_name_chars). */
export function isNameLike(points: readonly number[]): boolean {
  return points.every((c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95);
}
