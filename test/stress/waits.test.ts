/*
 * The stress runner's deadlock report names a lock owner whose thread has exited
 * (issue 10), from the kernel's live-thread table.
 */
import { describe, expect, it } from 'vitest';
import type { StressTarget } from '../../src/stress/define-target.js';
import { StressBoard } from '../../src/stress/stress-board.js';
import { describeWaits } from '../../src/stress/waits.js';
import { watchWorker } from '../../src/harness/watch-worker.js';
import { resultOf, startUserWorker, terminated } from '../helpers/user-worker.js';

describe('describeWaits', () => {
  it('says that the owner of the awaited lock has exited', async () => {
    // A thread is in the live-thread table once it has attached the kernel.
    const dying = watchWorker(startUserWorker('m.defaultKernel(); return true;'));
    const deadThread = dying.threadId;
    expect(await resultOf(dying)).toEqual({ result: true });
    await terminated(dying);
    const board = new StressBoard(2);
    board.register(0, 0);
    board.setPhase(0, 'acquire');
    board.register(1, deadThread);
    board.setPhase(1, 'critical');
    const target = { waitsOn: () => ({ what: 'the lock', ownerThreadId: deadThread }) } as unknown as StressTarget;
    expect(describeWaits(target, {}, board, ['locker', 'locker'])).toEqual([
      `worker 0 (locker, thread 0) is blocked in acquire at iteration 0, waiting on the lock, held by worker 1 (thread ${deadThread}), which has exited`,
      `worker 1 (locker, thread ${deadThread}) has exited, in critical at iteration 0`,
    ]);
    board.free();
  });
});
