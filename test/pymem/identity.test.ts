// Identity and immutability: `is` versus `==`, shared singletons, TypeError on mutation.
import { describe, expect, it } from 'vitest';
import { freshHeapEachTest } from './fresh-heap.js';

const t = freshHeapEachTest();

describe('identity', () => {
  it('equal values are not always the same object', () => {
    const [a, b] = [t.heap.int(1000), t.heap.int(1000)];
    expect(t.heap.eq(a, b)).toBe(true);
    expect(t.heap.is(a, b)).toBe(false);
    const [c, d] = [t.heap.int(256), t.heap.int(256)];
    expect(t.heap.is(c, d)).toBe(true);
    expect(t.heap.id(c)).toBeLessThan(t.heap.profile.obmalloc.arenaSize); // statically allocated
    expect(t.heap.eq(t.heap.float(1), t.heap.bool(true))).toBe(true);
    expect(t.heap.eq(t.heap.literal('(1, "a")'), t.heap.literal('(1.0, "a")'))).toBe(true);
    expect(t.heap.is(t.heap.none(), t.heap.literal('None'))).toBe(true);
    expect(t.heap.is(t.heap.literal('()'), t.heap.tuple([]))).toBe(true);
  });

  it('mutating an immutable object is a TypeError', () => {
    const pair = t.heap.literal('(1, 2)');
    expect(() => t.heap.setItem(pair, 0, t.heap.int(5))).toThrow(new TypeError("'tuple' object does not support item assignment"));
    expect(() => t.heap.setItem(t.heap.str('abc'), 0, t.heap.str('x'))).toThrow("'str' object does not support item assignment");
    expect(() => t.heap.add(t.heap.frozenset(), t.heap.int(1))).toThrow("'frozenset' object has no attribute 'add'");
    expect(t.heap.isImmutable(pair)).toBe(true);
    expect(t.heap.isImmutable(t.heap.list())).toBe(false);
    expect(() => t.heap.setItem(t.heap.dict(), t.heap.list(), t.heap.none())).toThrow("unhashable type: 'list'");
  });

  it('slotted instances refuse attributes outside their slots', () => {
    const Point = t.heap.defineClass('Point', { slots: ['x', 'y'] });
    const p = t.heap.instance(Point);
    t.heap.setAttr(p, 'x', t.heap.int(1));
    expect(t.heap.toValue(t.heap.getAttr(p, 'x'))).toBe(1);
    expect(() => t.heap.setAttr(p, 'z', t.heap.int(3))).toThrow("'Point' object has no attribute 'z'");
    expect(() => t.heap.getAttr(p, 'y')).toThrow("'Point' object has no attribute 'y'");
  });
});
