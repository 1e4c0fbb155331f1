import { describe, expect, it } from 'vitest';
import { FileExistsError, FileNotFoundError, ValueError } from '../../src/errors.js';
import { defaultKernel } from '../../src/shm/kernel.js';
import { SharedMemory } from '../../src/mp/shared-memory.js';
import { runInWorkers } from '../helpers/workers.js';
import { workerModule } from '../helpers/worker-module.js';

const ops = workerModule('shm-ops');

describe('SharedMemory (multiprocessing.shared_memory)', () => {
  it('is created with a generated name and attached by name from other workers', async () => {
    const block = new SharedMemory({ create: true, size: 64 });
    expect(block.name).toMatch(/^psm_[0-9a-f]{8}$/);
    expect(block.size).toBe(64);
    await runInWorkers(ops, 'writeSharedMemory', [[block.name, 'written by a worker']]);
    const [seen] = await runInWorkers(ops, 'readSharedMemory', [[block.name, 19]]);
    expect(seen).toBe('written by a worker');
    expect(new TextDecoder().decode(block.buf.slice(0, 19))).toBe('written by a worker');
    block.close();
    block.unlink();
  });

  it('gives Python errors for a taken name, a missing name and a bad size, and leaves other blocks intact', () => {
    const kept = new SharedMemory({ name: 'kept-block', create: true, size: 8 });
    kept.buf.set([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(() => new SharedMemory({ name: 'kept-block', create: true, size: 8 })).toThrow(FileExistsError);
    expect(() => new SharedMemory({ name: 'no-such-block' })).toThrow(FileNotFoundError);
    expect(() => new SharedMemory({ create: true, size: 0 })).toThrow(ValueError);
    expect(() => new SharedMemory({ create: true, size: -5 })).toThrow(ValueError);
    expect(() => new SharedMemory({ create: true })).toThrow(ValueError);
    expect(() => new SharedMemory({})).toThrow(ValueError);
    expect([...kept.buf]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    kept.close();
    kept.unlink();
  });

  it('frees the name at unlink and the memory when the last holder closes', () => {
    const kernel = defaultKernel();
    const before = kernel.stats().liveAllocations;
    const creator = new SharedMemory({ name: '/reused', create: true, size: 4096 });
    expect(creator.name).toBe('reused');
    const other = new SharedMemory({ name: 'reused' });
    other.buf[0] = 42;
    expect(creator.buf[0]).toBe(42);
    creator.unlink();
    expect(() => new SharedMemory({ name: 'reused' })).toThrow(FileNotFoundError);
    expect(() => creator.unlink()).toThrow(FileNotFoundError);
    const again = new SharedMemory({ name: 'reused', create: true, size: 16 });
    expect(again.buf[0]).toBe(0);
    creator.close();
    expect(kernel.stats().liveAllocations).toBe(before + 2);
    expect(other.buf[0]).toBe(42);
    other.close();
    expect(() => other.buf).toThrow(ValueError);
    expect(kernel.stats().liveAllocations).toBe(before + 1);
    again.close();
    again.unlink();
    expect(kernel.stats().liveAllocations).toBe(before);
  });

  it('survives being attached from a handle after the creator closed, until unlinked', () => {
    const block = new SharedMemory({ create: true, size: 8 });
    const handle = block.handle;
    block.buf[3] = 7;
    block.close();
    const attached = SharedMemory.attach(handle);
    expect(attached.buf[3]).toBe(7);
    attached.close();
    attached.unlink();
    expect(() => SharedMemory.attach(handle)).toThrow(/stale SharedMemory handle|no live region/);
  });
});
