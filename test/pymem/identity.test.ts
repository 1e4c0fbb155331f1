// Identity and immutability: `is` versus `==`, shared singletons, TypeError on mutation.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PyHeap } from '../../src/pymem/heap.js';

let heap: PyHeap;
beforeEach(() => {
  heap = new PyHeap({ capacity: 4096 });
});
afterEach(() => heap.destroy());

describe('identity', () => {
  it('equal values are not always the same object', () => {
    const [a, b] = [heap.int(1000), heap.int(1000)];
    expect(heap.eq(a, b)).toBe(true);
    expect(heap.is(a, b)).toBe(false);
    const [c, d] = [heap.int(256), heap.int(256)];
    expect(heap.is(c, d)).toBe(true);
    expect(heap.id(c)).toBeLessThan(heap.profile.obmalloc.arenaSize); // statically allocated
    expect(heap.eq(heap.float(1), heap.bool(true))).toBe(true);
    expect(heap.eq(heap.literal('(1, "a")'), heap.literal('(1.0, "a")'))).toBe(true);
    expect(heap.is(heap.none(), heap.literal('None'))).toBe(true);
    expect(heap.is(heap.literal('()'), heap.tuple([]))).toBe(true);
  });

  it('mutating an immutable object is a TypeError', () => {
    const t = heap.literal('(1, 2)');
    expect(() => heap.setItem(t, 0, heap.int(5))).toThrow(new TypeError("'tuple' object does not support item assignment"));
    expect(() => heap.setItem(heap.str('abc'), 0, heap.str('x'))).toThrow("'str' object does not support item assignment");
    expect(() => heap.add(heap.frozenset(), heap.int(1))).toThrow("'frozenset' object has no attribute 'add'");
    expect(heap.isImmutable(t)).toBe(true);
    expect(heap.isImmutable(heap.list())).toBe(false);
    expect(() => heap.setItem(heap.dict(), heap.list(), heap.none())).toThrow("unhashable type: 'list'");
  });

  it('slotted instances refuse attributes outside their slots', () => {
    const Point = heap.defineClass('Point', { slots: ['x', 'y'] });
    const p = heap.instance(Point);
    heap.setAttr(p, 'x', heap.int(1));
    expect(heap.toValue(heap.getAttr(p, 'x'))).toBe(1);
    expect(() => heap.setAttr(p, 'z', heap.int(3))).toThrow("'Point' object has no attribute 'z'");
    expect(() => heap.getAttr(p, 'y')).toThrow("'Point' object has no attribute 'y'");
  });
});
