// What a Python run's end relies on (src/python/run-script.ts): the kernel lists
// the segment names bound, unlinkName() removes one whichever object bound it (the
// memory goes with the last reference), and a segment made outside the run scope
// outlives the scope's end, living by its references alone.
import { describe, expect, it } from 'vitest';
import { boundNames, unlinkName } from '../../src/mp/segment.js';
import { SharedMemory } from '../../src/mp/shared-memory.js';
import { defaultKernel } from '../../src/shm/kernel.js';
import { outsideRunScope, RunScope } from '../../src/shm/run-scope.js';

const live = () => defaultKernel().stats().liveAllocations;

describe('segment names', () => {
  it('lists the names bound, with their namespace', () => {
    const block = new SharedMemory({ name: 'names_listed', create: true, size: 8 });
    try {
      expect(boundNames(defaultKernel())).toContain('shm:names_listed');
    } finally {
      block.close();
      block.unlink();
    }
    expect(boundNames(defaultKernel())).not.toContain('shm:names_listed');
  });

  it('unlinkName frees an unheld segment at once, and a held one at its last close', () => {
    const before = live();
    new SharedMemory({ name: 'names_unheld', create: true, size: 8 }).close();
    unlinkName(defaultKernel(), 'shm:names_unheld');
    expect(live()).toBe(before);
    const held = new SharedMemory({ name: 'names_held', create: true, size: 8 });
    held.buf[0] = 42;
    unlinkName(defaultKernel(), 'shm:names_held');
    expect(() => new SharedMemory({ name: 'names_held' })).toThrow(/No such file or directory/);
    expect(held.buf[0]).toBe(42);
    held.close();
    expect(live()).toBe(before);
    unlinkName(defaultKernel(), 'shm:names_held');
  });

  it('a segment made outside the run scope survives the scope, until closed and unlinked', () => {
    const before = live();
    const scope = new RunScope();
    const block = scope.during(() => outsideRunScope(() => new SharedMemory({ name: 'names_outside', create: true, size: 8 })));
    block.buf[0] = 7;
    scope.end();
    expect(block.closed).toBe(false);
    const again = new SharedMemory({ name: 'names_outside' });
    expect(again.buf[0]).toBe(7);
    again.close();
    block.close();
    block.unlink();
    expect(live()).toBe(before);
  });
});
