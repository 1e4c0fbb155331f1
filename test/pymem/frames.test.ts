// Frames: calls push frames with locals released on return; the recursion limit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PyHeap } from '../../src/pymem/heap.js';
import { NameError, RecursionError } from '../../src/pymem/errors.js';

let heap: PyHeap;
beforeEach(() => {
  heap = new PyHeap({ capacity: 4096 });
});
afterEach(() => heap.destroy());

describe('frames', () => {
  it('hold locals until return, then release them in order', () => {
    heap.call('outer', 3);
    heap.assign('keep', heap.literal('[1, 2]'));
    heap.call('inner', 7);
    const temp = heap.literal('{"a": [1]}');
    heap.assign('temp', temp);
    expect(heap.frames().map((f) => [f.function, f.line])).toEqual([['<module>', 0], ['outer', 3], ['inner', 7]]);
    expect(Object.keys(heap.frames()[2].locals)).toEqual(['temp']);
    heap.ret();
    expect(heap.isAlive(temp)).toBe(false);
    expect(heap.repr(heap.load('keep'))).toBe('[1, 2]');
    heap.ret();
    expect(() => heap.load('keep')).toThrow(NameError);
    expect(() => heap.ret()).toThrow(/return outside function/);
  });

  it('bind module-level names in the globals dict', () => {
    heap.assign('x', heap.int(1000));
    heap.call('f');
    expect(heap.toValue(heap.load('x'))).toBe(1000); // a global, seen from a function
    heap.ret();
    heap.del('x');
    expect(() => heap.load('x')).toThrow("name 'x' is not defined");
  });
});

describe('the recursion limit', () => {
  it('stops a plain recursion from module level at limit - 1 calls, the stack intact', () => {
    let calls = 0;
    expect(() => {
      for (;;) {
        heap.call('recurse', 2);
        calls++;
      }
    }).toThrow(new RecursionError('maximum recursion depth exceeded'));
    expect(calls).toBe(999);
    expect(heap.depth()).toBe(1000);
    for (let i = 0; i < calls; i++) heap.ret();
    expect(heap.depth()).toBe(1);
  });

  it('is settable, but not below the current depth', () => {
    heap.setRecursionLimit(50);
    let calls = 0;
    expect(() => {
      for (;;) {
        heap.call('recurse');
        calls++;
      }
    }).toThrow(RecursionError);
    expect(calls).toBe(49);
    expect(() => heap.setRecursionLimit(20)).toThrow('cannot set the recursion limit to 20 at the recursion depth 50: the limit is too low');
    expect(() => heap.setRecursionLimit(0)).toThrow('recursion limit must be greater or equal than 1');
    expect(heap.getRecursionLimit()).toBe(50);
  });
});
