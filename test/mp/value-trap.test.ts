import { describe, expect, it } from 'vitest';
import { Value } from '../../src/mp/value.js';
import { runInWorkers } from '../helpers/workers.js';
import { workerModule } from '../helpers/worker-module.js';

const ops = workerModule('value-ops');
const WORKERS = 4;
const ITERATIONS = 100_000;
const EXPECTED = WORKERS * ITERATIONS;

describe("Python's Value trap: v.value += 1 on a synchronized Value", () => {
  it('loses updates across 4 workers even though every read and write is locked', async () => {
    const totals: number[] = [];
    for (let attempt = 0; attempt < 5 && !totals.some((total) => total < EXPECTED); attempt++) {
      const v = Value('i', 0);
      await runInWorkers(ops, 'incrementMany', Array.from({ length: WORKERS }, () => [v.handle, ITERATIONS, false]));
      totals.push(v.value);
    }
    expect(totals.every((total) => total <= EXPECTED)).toBe(true);
    expect(totals.some((total) => total < EXPECTED)).toBe(true);
  });

  it('loses nothing when each += holds getLock()', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const v = Value('i', 0);
      await runInWorkers(ops, 'incrementMany', Array.from({ length: WORKERS }, () => [v.handle, ITERATIONS, true]));
      expect(v.value).toBe(EXPECTED);
    }
  });
});
