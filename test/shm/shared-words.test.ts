import { describe, expect, it } from 'vitest';
import { attach } from '../../src/attach.js';
import { ValueError } from '../../src/errors.js';
import { defaultKernel } from '../../src/shm/kernel.js';
import { SharedWords } from '../../src/shm/shared-words.js';
import { runInWorkers } from '../helpers/workers.js';
import { workerModule } from '../helpers/worker-module.js';

const ops = workerModule('shm-ops');

describe('SharedWords: N words in a kernel region', () => {
  it('is attached from its handle in workers, where add() is one indivisible read-modify-write', async () => {
    const words = new SharedWords(1);
    await runInWorkers(ops, 'addToWords', [[words.handle, 20_000], [words.handle, 20_000]]);
    expect(words.load(0)).toBe(40_000);
    words.free();
  });

  it('free() gives its region back, and its handle is refused afterwards', () => {
    const kernel = defaultKernel();
    const before = kernel.stats().liveBytes;
    const words = new SharedWords(64);
    expect(kernel.stats().liveBytes).toBeGreaterThan(before);
    words.free();
    expect(kernel.stats().liveBytes).toBe(before);
    expect(() => attach(words.handle)).toThrow(ValueError);
    expect(() => attach(words.handle)).toThrow(/^bad SharedWords handle/);
  });
});
