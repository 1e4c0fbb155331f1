// Worker-side code for the kernel tests: each export runs inside a real worker thread.
import { attach, type Handle } from '../../src/attach.js';
import { MemoryMap, type MmapHandle } from '../../src/mp/mmap.js';
import { SharedMemory } from '../../src/mp/shared-memory.js';
import { SharedTypedArray, type SharedArrayHandle } from '../../src/mp/shared-array.js';
import { SharedValue, type ValueHandle } from '../../src/mp/value.js';

export function writeValue(handle: ValueHandle, value: number | bigint): void {
  new SharedValue(handle).value = value;
}

export function readValue(handle: ValueHandle): number | bigint {
  return new SharedValue(handle).value;
}

export function fillArray(handle: SharedArrayHandle, values: number[]): void {
  const array = new SharedTypedArray(handle);
  values.forEach((value, i) => array.set(i, value));
}

export function readArray(handle: SharedArrayHandle): (number | bigint)[] {
  return new SharedTypedArray(handle).toArray();
}

/** Attaches a SharedMemory block by name, writes `text` at its start, and closes it. */
export function writeSharedMemory(name: string, text: string): void {
  const block = new SharedMemory({ name });
  block.buf.set(new TextEncoder().encode(text));
  block.close();
}

export function readSharedMemory(name: string, length: number): string {
  const block = new SharedMemory({ name });
  const text = new TextDecoder().decode(block.buf.slice(0, length));
  block.close();
  return text;
}

/** Maps `path`, writes `text` at `offset`, flushes and unmaps. */
export function writeMapped(path: string, offset: number, text: string): void {
  const map = new MemoryMap(path, 0, { access: 'write' });
  map.setSlice(offset, new TextEncoder().encode(text));
  map.flush();
  map.close();
}

/** Maps `path` with `access` and keeps it open; returns the handle so the test can attach it too. */
export function mapAndHold(path: string, access: 'read' | 'write' | 'copy'): MmapHandle {
  const map = new MemoryMap(path, 0, { access });
  held.push(map);
  return map.handle;
}

/** Mappings mapAndHold keeps open (a mapping garbage-collected unclosed is released). */
const held: MemoryMap[] = [];

export function readMapped(handle: MmapHandle): string {
  return new TextDecoder().decode(new MemoryMap(handle).slice());
}

/** Returns the handle unchanged, as the worker received it. */
export function echo(handle: Handle): Handle {
  return handle;
}

/** Attaches any handle and describes what it found. */
export function describeAttached(handle: Handle): string {
  const object = attach(handle);
  if (object instanceof SharedValue) return `Value ${object.value}`;
  if (object instanceof SharedTypedArray) return `Array ${object.toArray().join(',')}`;
  return object.constructor.name;
}

/** Attaches SharedWords from a handle and adds 1 to word 0 `times` times, atomically. */
export function addToWords(handle: Handle, times: number): void {
  const words = attach(handle) as { add(index: number, delta?: number): number };
  for (let i = 0; i < times; i++) words.add(0);
}
