// Random multi-worker schedules (fast-check): 3 real workers each run a generated list of
// operations on one shared Lock, RLock, Semaphore, Condition and Event; afterwards the
// invariants must hold whatever the interleaving was.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Condition } from '../../src/sync/condition.js';
import { Event } from '../../src/sync/event.js';
import { Lock } from '../../src/sync/lock.js';
import { RLock } from '../../src/sync/rlock.js';
import { Semaphore } from '../../src/sync/semaphore.js';
import { WorkerPool } from '../../src/harness/worker-pool.js';
import type { ScheduleHandles, ScheduleOp } from '../workers/sync-schedule.js';
import { workerModule } from '../helpers/worker-module.js';

const SCHEDULE = workerModule('sync-schedule');
const WORKERS = 3;
const [VIOLATIONS, SECTIONS, NOTIFIED_CHOSEN, WAITS_TRUE] = [2, 3, 4, 5];

const operation: fc.Arbitrary<ScheduleOp> = fc.oneof(
  { arbitrary: fc.constant({ op: 'lock' as const }), weight: 2 },
  { arbitrary: fc.integer({ min: 1, max: 4 }).map((depth) => ({ op: 'rlock' as const, depth })), weight: 1 },
  { arbitrary: fc.constant({ op: 'semaphore' as const }), weight: 2 },
  { arbitrary: fc.integer({ min: 0, max: 3 }).map((n) => ({ op: 'notify' as const, n })), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 30 }).map((timeoutMs) => ({ op: 'wait' as const, timeoutMs })), weight: 3 },
  { arbitrary: fc.constant({ op: 'set' as const }), weight: 1 },
  { arbitrary: fc.constant({ op: 'clear' as const }), weight: 1 },
  { arbitrary: fc.integer({ min: 0, max: 10 }).map((timeoutMs) => ({ op: 'eventWait' as const, timeoutMs })), weight: 1 },
);

const sections = (ops: ScheduleOp[]): number => ops.filter(({ op }) => op === 'lock' || op === 'rlock' || op === 'semaphore').length;

describe('random schedules across 3 workers', () => {
  it('keep mutual exclusion, the permit count, and notify(n) exact (true waits = waiters chosen)', async () => {
    const pool = new WorkerPool({ threads: WORKERS });
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.array(operation, { minLength: 20, maxLength: 80 }), { minLength: WORKERS, maxLength: WORKERS }), async (schedules) => {
          const permits = 2;
          const semaphore = new Semaphore(permits);
          const lock = new Lock();
          const rlock = new RLock();
          const condition = new Condition();
          const event = new Event();
          const handles: ScheduleHandles = {
            lock: lock.handle,
            rlock: rlock.handle,
            semaphore: semaphore.handle,
            permits,
            condition: condition.handle,
            event: event.handle,
          };
          const shared = new SharedArrayBuffer(16 * 4);
          const counters = new Int32Array(shared);
          const abort = new AbortController();
          const timer = setTimeout(() => abort.abort(), 30_000);
          try {
            await Promise.all(schedules.map((ops) => pool.run(SCHEDULE, 'runSchedule', [handles, shared, ops], abort.signal)));
          } finally {
            clearTimeout(timer);
          }
          expect(counters[VIOLATIONS]).toBe(0);
          expect(counters[SECTIONS]).toBe(schedules.reduce((sum, ops) => sum + sections(ops), 0));
          expect(counters[WAITS_TRUE]).toBe(counters[NOTIFIED_CHOSEN]);
          expect(semaphore.value).toBe(permits);
          expect(lock.locked() || rlock.locked()).toBe(false);
          [semaphore, lock, rlock, condition, event].forEach((object) => object.close());
        }),
        { numRuns: 12 },
      );
    } finally {
      await pool.destroy();
    }
  });
});
