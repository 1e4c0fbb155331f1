// Frames: calls push frames with locals released on return; the recursion limit.
import { describe, expect, it } from 'vitest';
import { freshHeapEachTest } from './fresh-heap.js';
import { NameError, RecursionError } from '../../src/pymem/errors.js';

const t = freshHeapEachTest();

describe('frames', () => {
  it('hold locals until return, then release them in order', () => {
    t.heap.call('outer', 3);
    t.heap.assign('keep', t.heap.literal('[1, 2]'));
    t.heap.call('inner', 7);
    const temp = t.heap.literal('{"a": [1]}');
    t.heap.assign('temp', temp);
    expect(t.heap.frames().map((f) => [f.function, f.line])).toEqual([['<module>', 0], ['outer', 3], ['inner', 7]]);
    expect(Object.keys(t.heap.frames()[2].locals)).toEqual(['temp']);
    t.heap.ret();
    expect(t.heap.isAlive(temp)).toBe(false);
    expect(t.heap.repr(t.heap.load('keep'))).toBe('[1, 2]');
    t.heap.ret();
    expect(() => t.heap.load('keep')).toThrow(NameError);
    expect(() => t.heap.ret()).toThrow(/return outside function/);
  });

  it('bind module-level names in the globals dict', () => {
    t.heap.assign('x', t.heap.int(1000));
    t.heap.call('f');
    expect(t.heap.toValue(t.heap.load('x'))).toBe(1000); // a global, seen from a function
    t.heap.ret();
    t.heap.del('x');
    expect(() => t.heap.load('x')).toThrow("name 'x' is not defined");
  });
});

describe('the recursion limit', () => {
  it('stops a plain recursion from module level at limit - 1 calls, the stack intact', () => {
    let calls = 0;
    expect(() => {
      for (;;) {
        t.heap.call('recurse', 2);
        calls++;
      }
    }).toThrow(new RecursionError('maximum recursion depth exceeded'));
    expect(calls).toBe(999);
    expect(t.heap.depth()).toBe(1000);
    for (let i = 0; i < calls; i++) t.heap.ret();
    expect(t.heap.depth()).toBe(1);
  });

  it('is settable, but not below the current depth', () => {
    t.heap.setRecursionLimit(50);
    let calls = 0;
    expect(() => {
      for (;;) {
        t.heap.call('recurse');
        calls++;
      }
    }).toThrow(RecursionError);
    expect(calls).toBe(49);
    expect(() => t.heap.setRecursionLimit(20)).toThrow('cannot set the recursion limit to 20 at the recursion depth 51: the limit is too low');
    expect(() => t.heap.setRecursionLimit(0)).toThrow('recursion limit must be greater or equal than 1');
    expect(t.heap.getRecursionLimit()).toBe(50);
  });
});
