/*
 * The kernel's live-thread table (src/shm/live-threads.ts): threads register when
 * they attach the kernel, and whoever started them (WorkerPool, RpcWorker,
 * watchWorker for a user's own Worker) marks them dead when they exit.
 */
import { describe, expect, it } from 'vitest';
import { defaultKernel } from '../../src/shm/kernel.js';
import { isRecordedThreadDead, isThreadDead, markThreadDead, recordCurrentThread } from '../../src/shm/live-threads.js';
import { Value } from '../../src/mp/value.js';
import { RpcWorker } from '../../src/harness/rpc-worker.js';
import { watchWorker } from '../../src/harness/watch-worker.js';
import { WorkerPool } from '../../src/harness/worker-pool.js';
import { resultOf, startUserWorker, terminated } from '../helpers/user-worker.js';
import { until } from '../sync/helpers.js';
import { workerModule } from '../helpers/worker-module.js';

const SHM_OPS = workerModule('shm-ops');
const words = () => defaultKernel().words;

describe('the live-thread table', () => {
  it('knows the main thread as alive, and an unknown thread as not dead', () => {
    expect(isThreadDead(words(), 0)).toBe(false);
    expect(isThreadDead(words(), 987_654)).toBe(false);
    expect(markThreadDead(words(), 987_654)).toBe(false);
  });

  it('watchWorker marks a Worker dead on exit; an empty reference, or one to a living thread, never reads as dead', async () => {
    // The timer keeps the thread alive after it posts, until terminated() (else it may exit before the first look).
    const worker = watchWorker(startUserWorker('setTimeout(() => {}, 60_000); const v = m.Value("i", 0, { lock: false }); return v.handle;'));
    const threadId = worker.threadId;
    expect(await resultOf(worker)).toHaveProperty('result');
    expect(isThreadDead(words(), threadId)).toBe(false);
    await terminated(worker);
    expect(isThreadDead(words(), threadId)).toBe(true);
    const ref = defaultKernel().alloc(8) >> 2;
    expect(isRecordedThreadDead(words(), ref)).toBe(false);
    recordCurrentThread(words(), ref);
    expect(isRecordedThreadDead(words(), ref)).toBe(false);
    defaultKernel().free(ref << 2);
  });

  it('WorkerPool marks its threads dead when destroyed, RpcWorker when terminated', async () => {
    const value = Value('i', 0, { lock: false });
    const pool = new WorkerPool({ threads: 2 });
    await Promise.all([pool.run(SHM_OPS, 'writeValue', [value.handle, 1]), pool.run(SHM_OPS, 'writeValue', [value.handle, 2])]);
    const poolThreads = pool.threadIds;
    const rpc = new RpcWorker();
    await rpc.call(SHM_OPS, 'writeValue', value.handle, 3);
    expect([...poolThreads, rpc.threadId].map((id) => isThreadDead(words(), id))).toEqual([false, false, false]);
    const rpcThread = rpc.threadId;
    await pool.destroy();
    await rpc.terminate();
    // destroy() may settle before the main thread has run every worker's 'exit' listener.
    await until(() => [...poolThreads, rpcThread].every((id) => isThreadDead(words(), id)), 'every exit to be recorded');
  });
});
