import { describe, expect, it } from 'vitest';
import { attachPrimitive, isPrimitiveKind } from '../../src/sync/attach.js';
import { Barrier } from '../../src/sync/barrier.js';
import { Condition } from '../../src/sync/condition.js';
import { Event } from '../../src/sync/event.js';
import { Lock } from '../../src/sync/lock.js';
import { RLock } from '../../src/sync/rlock.js';
import { BoundedSemaphore, Semaphore } from '../../src/sync/semaphore.js';
import { runTasks, withPool } from './helpers.js';

describe('attachPrimitive', () => {
  it('rebuilds all seven kinds in a worker as the same primitives', async () => {
    const [lock, rlock, semaphore, bounded, condition, event, barrier] = [
      new Lock(),
      new RLock(),
      new Semaphore(2),
      new BoundedSemaphore(3),
      new Condition(new Lock()),
      new Event(),
      new Barrier(2),
    ];
    const handles = [lock, rlock, semaphore, bounded, condition, event, barrier].map((primitive) => primitive.handle);
    const names = await withPool(1, (pool) => runTasks<string[]>(pool, 'attachAndTouch', [[handles]]));
    expect(names).toEqual([['Lock', 'RLock', 'Semaphore', 'BoundedSemaphore', 'Condition', 'Event', 'Barrier']]);
    expect(lock.locked()).toBe(true);
    expect(rlock.locked() && !rlock.isOwned()).toBe(true);
    expect(semaphore.value).toBe(1);
    expect(bounded.value).toBe(2);
    expect(condition.lock.locked()).toBe(true);
    expect(event.isSet()).toBe(true);
    expect(barrier.broken).toBe(true);
  });

  it('on this thread too, and refuses anything that is not a primitive handle', () => {
    const event = new Event();
    const twin = attachPrimitive(event.handle);
    expect(twin).toBeInstanceOf(Event);
    twin.set();
    expect(event.isSet()).toBe(true);
    expect(isPrimitiveKind('Value')).toBe(false);
    expect(() => attachPrimitive({ kind: 'Value', kernel: 1, offset: 0 } as never)).toThrow(TypeError);
    expect(() => attachPrimitive(null as never)).toThrow(TypeError);
  });
});
