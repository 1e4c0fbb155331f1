import { describe, expect, it } from 'vitest';
import { IndexError, RuntimeError, ValueError } from '../../src/errors.js';
import { RawSharedArray, SharedArray } from '../../src/mp/shared-array.js';
import { RLock } from '../../src/sync/rlock.js';
import { runInWorkers } from '../helpers/workers.js';
import { workerModule } from '../helpers/worker-module.js';

const ops = workerModule('shm-ops');

describe('SharedArray (multiprocessing.Array)', () => {
  it('is built from a size (zeros) or from values, and reads like a Python sequence', () => {
    const zeros = SharedArray('i', 4);
    expect(zeros.length).toBe(4);
    expect(zeros.toArray()).toEqual([0, 0, 0, 0]);
    const values = SharedArray('d', [1.5, 2.5, 3.5]);
    expect([...values]).toEqual([1.5, 2.5, 3.5]);
    expect(values.get(-1)).toBe(3.5);
    values.set(-3, 9);
    expect(values.get(0)).toBe(9);
    expect(SharedArray('q', [1, 2]).toArray()).toEqual([1n, 2n]);
    expect(SharedArray('B', [256, -1]).toArray()).toEqual([0, 255]);
  });

  it('refuses an index outside the array and never writes next to it', () => {
    const left = RawSharedArray('i', [1, 1]);
    const middle = RawSharedArray('i', [2, 2]);
    const right = RawSharedArray('i', [3, 3]);
    for (const index of [2, -3, 100, 2 ** 31]) {
      expect(() => middle.set(index, 99)).toThrow(IndexError);
      expect(() => middle.get(index)).toThrow(IndexError);
    }
    expect(() => middle.get(0.5)).toThrow(TypeError);
    expect([left.toArray(), middle.toArray(), right.toArray()]).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
  });

  it('refuses bad typecodes, sizes and values', () => {
    expect(() => SharedArray('z' as 'i', 3)).toThrow(ValueError);
    expect(() => SharedArray('i', -1)).toThrow(TypeError);
    expect(() => SharedArray('i', 1.5)).toThrow(TypeError);
    expect(() => SharedArray('i', [1, 'x' as unknown as number])).toThrow(TypeError);
    expect(() => SharedArray('i', 2).set(0, Number.NaN)).toThrow(TypeError);
  });

  it('has an RLock unless made raw', () => {
    expect(SharedArray('i', 1).getLock()).toBeInstanceOf(RLock);
    expect(() => RawSharedArray('i', 1).getLock()).toThrow(RuntimeError);
  });

  it('is shared between real workers: one fills it, another reads it', async () => {
    const array = SharedArray('h', 5);
    await runInWorkers(ops, 'fillArray', [[array.handle, [1, -2, 3, -4, 40000]]]);
    const [seen] = await runInWorkers(ops, 'readArray', [[array.handle]]);
    expect(seen).toEqual([1, -2, 3, -4, -25536]);
    expect(array.toArray()).toEqual(seen);
  });
});
