// Model-based tests (fast-check): random sequences of operations on one thread, run against
// the shared-memory primitive and against a few lines of plain sequential model; after every
// step the result (a value, or the name of the Python error) and the state must agree.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Barrier } from '../../src/sync/barrier.js';
import { Condition } from '../../src/sync/condition.js';
import { Event } from '../../src/sync/event.js';
import { Lock } from '../../src/sync/lock.js';
import { RLock } from '../../src/sync/rlock.js';
import { BoundedSemaphore, Semaphore } from '../../src/sync/semaphore.js';

/** What an operation did: its result, or the name of the error it threw. */
function outcome(run: () => unknown): unknown {
  try {
    return run() ?? null;
  } catch (error) {
    return (error as Error).name;
  }
}

/** Runs each generated op on the real object and on the model, comparing outcomes and then states. */
function agree<Op>(ops: Op[], real: (op: Op) => unknown, model: (op: Op) => unknown, state: () => [unknown, unknown]): void {
  for (const op of ops) {
    expect(outcome(() => real(op)), JSON.stringify(op)).toEqual(outcome(() => model(op)));
    const [actual, expected] = state();
    expect(actual, JSON.stringify(op)).toEqual(expected);
  }
}

const python = (name: string) => () => {
  throw Object.assign(new Error(name), { name });
};

type LockOp = { kind: 'acquire'; blocking: boolean; timeout: number } | { kind: 'release' } | { kind: 'locked' };
// One thread cannot wait for itself: a blocking acquire always carries a timeout here, so no sequence hangs.
const lockOp: fc.Arbitrary<LockOp> = fc.oneof(
  fc.record({ kind: fc.constant('acquire' as const), blocking: fc.constant(true), timeout: fc.constantFrom(0, 0.001, -2) }),
  fc.record({ kind: fc.constant('acquire' as const), blocking: fc.constant(false), timeout: fc.constantFrom(-1, 0, 0.001) }),
  fc.constant({ kind: 'release' as const }),
  fc.constant({ kind: 'locked' as const }),
);
/** Python's argument rules for Lock.acquire, which apply before the lock is looked at. */
const badLockArguments = ({ blocking, timeout }: { blocking: boolean; timeout: number }): boolean =>
  (!blocking && timeout !== -1) || (timeout < 0 && timeout !== -1);

describe('model-based, one thread', () => {
  it('Lock behaves as a boolean', () => {
    fc.assert(
      fc.property(fc.array(lockOp, { maxLength: 40 }), (ops) => {
        const lock = new Lock();
        let held = false;
        agree(
          ops,
          (op) => (op.kind === 'acquire' ? lock.acquire(op.blocking, op.timeout) : op.kind === 'release' ? lock.release() : lock.locked()),
          (op) => {
            if (op.kind === 'locked') return held;
            if (op.kind === 'release') return held ? void (held = false) : python('RuntimeError')();
            if (badLockArguments(op)) return python('ValueError')();
            return held ? false : (held = true);
          },
          () => [lock.locked(), held],
        );
      }),
    );
  });

  it('RLock behaves as a depth counter owned by this thread', () => {
    fc.assert(
      fc.property(fc.array(lockOp, { maxLength: 40 }), (ops) => {
        const rlock = new RLock();
        let depth = 0;
        agree(
          ops,
          (op) => (op.kind === 'acquire' ? rlock.acquire(op.blocking, op.timeout) : op.kind === 'release' ? rlock.release() : rlock.locked()),
          (op) => {
            if (op.kind === 'locked') return depth > 0;
            if (op.kind === 'release') return depth > 0 ? void depth-- : python('RuntimeError')();
            if (badLockArguments(op)) return python('ValueError')();
            depth++;
            return true;
          },
          () => [rlock.depth, depth],
        );
      }),
    );
  });

  type SemaphoreOp = { kind: 'acquire'; blocking: boolean; timeout: number | null } | { kind: 'release'; n: number };
  const semaphoreOp: fc.Arbitrary<SemaphoreOp> = fc.oneof(
    fc.record({ kind: fc.constant('acquire' as const), blocking: fc.constant(true), timeout: fc.constantFrom(0, 0.001, -1) }),
    fc.record({ kind: fc.constant('acquire' as const), blocking: fc.constant(false), timeout: fc.constantFrom(null, 0, 0.001) }),
    fc.record({ kind: fc.constant('release' as const), n: fc.integer({ min: -1, max: 3 }) }),
  );

  for (const bounded of [false, true]) {
    it(`${bounded ? 'BoundedSemaphore' : 'Semaphore'} behaves as a counter${bounded ? ' with a ceiling' : ''}`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 4 }), fc.array(semaphoreOp, { maxLength: 40 }), (initial, ops) => {
          const semaphore = bounded ? new BoundedSemaphore(initial) : new Semaphore(initial);
          let value = initial;
          agree(
            ops,
            (op) => (op.kind === 'acquire' ? semaphore.acquire(op.blocking, op.timeout) : semaphore.release(op.n)),
            (op) => {
              if (op.kind === 'release') {
                if (op.n < 1 || (bounded && value + op.n > initial)) return python('ValueError')();
                value += op.n;
                return null;
              }
              if (!op.blocking && op.timeout !== null) return python('ValueError')();
              return value > 0 ? (value--, true) : false;
            },
            () => [semaphore.value, value],
          );
        }),
      );
    });
  }

  it('Event behaves as a flag', () => {
    const eventOp = fc.constantFrom('set', 'clear', 'isSet', 'wait0', 'waitNegative');
    fc.assert(
      fc.property(fc.array(eventOp, { maxLength: 40 }), (ops) => {
        const event = new Event();
        let flag = false;
        agree(
          ops,
          (op) => (op === 'set' ? event.set() : op === 'clear' ? event.clear() : op === 'isSet' ? event.isSet() : event.wait(op === 'wait0' ? 0 : -1)),
          (op) => (op === 'set' ? void (flag = true) : op === 'clear' ? void (flag = false) : flag),
          () => [event.isSet(), flag],
        );
      }),
    );
  });

  it('Condition checks ownership, and wait(0) gives the RLock back at its depth', () => {
    const conditionOp = fc.constantFrom('acquire', 'release', 'notify', 'notifyAll', 'wait0', 'waitForTrue');
    fc.assert(
      fc.property(fc.array(conditionOp, { maxLength: 40 }), (ops) => {
        const condition = new Condition();
        const rlock = condition.lock as RLock;
        let depth = 0;
        agree(
          ops,
          (op) => {
            if (op === 'acquire') return condition.acquire();
            if (op === 'release') return condition.release();
            if (op === 'notify') return condition.notify(2);
            if (op === 'notifyAll') return condition.notifyAll();
            return op === 'wait0' ? condition.wait(0) : condition.waitFor(() => true, 0);
          },
          (op) => {
            if (op === 'acquire') return (depth++, true);
            if (op === 'waitForTrue') return true; // a true predicate never waits, so never checks ownership
            if (depth === 0) return python('RuntimeError')();
            if (op === 'release') depth--;
            return op === 'wait0' ? false : null;
          },
          () => [[rlock.depth, condition.waiting], [depth, 0]],
        );
      }),
    );
  });

  it('a one-party Barrier behaves as broken / not broken', () => {
    const barrierOp = fc.constantFrom('wait', 'abort', 'reset', 'broken');
    fc.assert(
      fc.property(fc.array(barrierOp, { maxLength: 30 }), (ops) => {
        const barrier = new Barrier(1);
        let broken = false;
        agree(
          ops,
          (op) => (op === 'wait' ? barrier.wait() : op === 'abort' ? barrier.abort() : op === 'reset' ? barrier.reset() : barrier.broken),
          (op) => {
            if (op === 'wait') return broken ? python('BrokenBarrierError')() : 0;
            if (op === 'broken') return broken;
            broken = op === 'abort';
            return null;
          },
          () => [[barrier.broken, barrier.nWaiting], [broken, 0]],
        );
      }),
    );
  });
});
