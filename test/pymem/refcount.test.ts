// Reference counting: counts follow bindings and containers; at zero an object is
// deallocated at once, its references released in its type's order, its blocks returned.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PyHeap, type PyRef } from '../../src/pymem/heap.js';

let heap: PyHeap;
let Node: PyRef;
const names = new Map<PyRef, string>();
const freed: string[] = [];

beforeEach(() => {
  heap = new PyHeap({ capacity: 4096 });
  Node = heap.defineClass('Node');
  names.clear();
  freed.length = 0;
  heap.onDealloc((id) => {
    if (!names.has(id)) return;
    freed.push(names.get(id) as string);
    names.delete(id); // the slot may be reused by another object
  });
});
afterEach(() => heap.destroy());

function node(name: string): PyRef {
  const id = heap.instance(Node);
  names.set(id, name);
  return id;
}

describe('reference counts', () => {
  it('rise and fall as names are bound and containers gain and lose the object', () => {
    const a = node('a');
    expect(heap.refcount(a)).toBe(1);
    heap.assign('a', a); // the name takes over the creation reference
    expect(heap.getrefcount(a)).toBe(2);
    const list = heap.list();
    names.set(list, 'list');
    heap.append(list, a);
    heap.append(list, a);
    expect(heap.refcount(a)).toBe(3);
    heap.decref(heap.pop(list));
    expect(heap.refcount(a)).toBe(2);
    heap.assign('b', heap.literal('None'));
    heap.call('f', 1);
    heap.incref(a);
    heap.assign('local', a);
    expect(heap.refcount(a)).toBe(3);
    heap.ret(); // the frame's locals are released
    expect(heap.refcount(a)).toBe(2);
    heap.decref(list);
    expect(heap.refcount(a)).toBe(1);
    expect(freed).toEqual(['list']);
    heap.del('a');
    expect(freed).toEqual(['list', 'a']);
    expect(heap.isAlive(a)).toBe(false);
  });

  it('deallocate a list item by item from the last, depth first', () => {
    // outer = [a, [b, c], d]
    const inner = heap.list([node('b'), node('c')]);
    names.set(inner, 'inner');
    const outer = heap.list([node('a'), inner, node('d')]);
    names.set(outer, 'outer');
    heap.assign('outer', outer);
    heap.del('outer');
    expect(freed).toEqual(['outer', 'd', 'inner', 'c', 'b', 'a']);
  });

  it('deallocate a dict entry by entry, key then value, and an instance before its class', () => {
    const d = heap.dict();
    names.set(d, 'dict');
    for (const [k, v] of [['k1', 'v1'], ['k2', 'v2']]) {
      const key = node(k);
      const value = node(v);
      heap.setItem(d, key, value);
      heap.decref(key);
      heap.decref(value);
    }
    heap.decref(d);
    expect(freed).toEqual(['dict', 'k1', 'v1', 'k2', 'v2']);
    freed.length = 0;
    const Local = heap.defineClass('Local');
    names.set(Local, 'class Local');
    const obj = heap.instance(Local);
    names.set(obj, 'instance');
    heap.decref(Local); // the instance still holds its class
    expect(freed).toEqual([]);
    heap.decref(obj);
    expect(freed).toEqual(['instance', 'class Local']);
  });

  it('return every block to its pool: a 300,000-deep chain frees without overflowing the stack', () => {
    const baseline = heap.mallocStats().bytesInAllocatedBlocks;
    const big = new PyHeap({ capacity: 1 << 19, maxArenas: 128, storeWords: 1 << 21 });
    try {
      let chain = big.list();
      for (let i = 0; i < 300_000; i++) chain = big.list([chain]);
      expect(big.liveObjects()).toBeGreaterThan(300_000);
      const live = big.liveObjects();
      big.decref(chain);
      expect(live - big.liveObjects()).toBe(300_001);
      expect(big.mallocStats().bytesInAllocatedBlocks).toBeLessThan(16 * 1024);
    } finally {
      big.destroy();
    }
    expect(heap.mallocStats().bytesInAllocatedBlocks).toBe(baseline);
  });

  it('never free the static objects, however often they are released', () => {
    const none = heap.none();
    const before = heap.refcount(none);
    heap.decref(none);
    expect(heap.refcount(none)).toBe(before - 1);
    const small = heap.int(7);
    for (let i = 0; i < 10; i++) heap.decref(small);
    expect(heap.isAlive(small)).toBe(true);
    expect(heap.isStatic(small)).toBe(true);
  });
});
