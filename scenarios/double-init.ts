/*
 * Scenario double-init: lazy initialization that checks "already done?" twice but
 * never holds a lock. Workers that arrive together all see "not yet", all run the
 * initializer, and the one-time setup runs more than once. Fixed with a lock
 * (double-checked locking done right), and with a claim Lock plus an Event that
 * the others wait on (Python's "call once").
 */
import { defineScenario, Event, type Judgement, Lock, RawSharedArray } from '../src/scenario.js';
import { busyFor } from './support/busy.js';

/** Microseconds the initializer takes (loading a config, opening a connection). */
const INIT_TIME = 50;

function setup(params: { iterations: number }) {
  return {
    ready: RawSharedArray('i', params.iterations),
    resource: RawSharedArray('i', params.iterations),
    lock: new Lock(),
    claims: Array.from({ length: params.iterations }, () => new Lock()),
    published: Array.from({ length: params.iterations }, () => new Event()),
  };
}

type Shared = ReturnType<typeof setup>;

/** The initializer of lazy resource `slot`; returns its value. */
function initialize(slot: number): number {
  busyFor(INIT_TIME);
  return slot * 7 + 1;
}

/** Every worker asks for every resource in turn; `obtain` initializes it or not and says whether it ran the initializer. */
function useAll(shared: Shared, iterations: number, obtain: (slot: number) => boolean): number[] {
  const initialized: number[] = [];
  for (let slot = 0; slot < iterations; slot++) if (obtain(slot)) initialized.push(slot);
  return initialized;
}

function publish(shared: Shared, slot: number): void {
  shared.resource.set(slot, initialize(slot));
  shared.ready.set(slot, 1);
}

export default defineScenario({
  name: 'double-init',
  summary: 'lazy initialization checked twice without a lock runs the initializer more than once',
  explain:
    'Each of a number of lazily created resources must be initialized exactly once, by whichever worker needs ' +
    'it first. The racy code checks "is it ready?", runs the slow initializer, checks again and publishes. ' +
    'Neither check is under a lock, so workers that arrive together all see "not ready" and all initialize: ' +
    'the one-time work runs several times (two connections opened, a counter reset twice). The fix checks ' +
    'again while holding a lock (double-checked locking), or lets the first worker claim the job with a ' +
    'non-blocking acquire and makes the others wait on an Event. Python:\n' +
    '    if not ready[i]:\n' +
    '        value = initialize(i)          # slow; others may be doing the same\n' +
    '        if not ready[i]:               # a second check does not help without a lock\n' +
    '            resource[i] = value; ready[i] = 1',
  params: { workers: 4, iterations: 100, repeat: 5, timeout: 10 },
  setup,
  judge: ({ shared, results, params }): Judgement => {
    const runs = new Array<number>(params.iterations).fill(0);
    for (const slots of results as number[][]) for (const slot of slots) runs[slot]++;
    const twice = runs.filter((count) => count > 1).length;
    const never = runs.filter((count) => count === 0).length;
    const wrong = runs.filter((_, slot) => shared.resource.get(slot) !== slot * 7 + 1).length;
    return {
      outcome: twice === 0 && never === 0 && wrong === 0 ? 'once-each' : twice > 0 && never === 0 && wrong === 0 ? 'initialized-twice' : 'broken',
      observed:
        `${runs.reduce((a, b) => a + b, 0)} initializer runs for ${params.iterations} resources` +
        (twice > 0 ? `: ${twice} initialized more than once (up to ${Math.max(...runs)} times)` : '') +
        (never + wrong > 0 ? `; ${never} never initialized, ${wrong} with a wrong value` : ''),
      expected: `${params.iterations} initializer runs, one per resource`,
    };
  },
  variants: {
    racy: {
      summary: 'check, initialize, check again, publish: no lock',
      python: 'if not ready[i]:\n    value = initialize(i)\n    if not ready[i]:\n        resource[i] = value; ready[i] = 1',
      worker: (shared, { params }) =>
        useAll(shared, params.iterations, (slot) => {
          if (shared.ready.get(slot) !== 0) return false;
          const value = initialize(slot);
          if (shared.ready.get(slot) === 0) {
            shared.resource.set(slot, value);
            shared.ready.set(slot, 1);
          }
          return true;
        }),
      outcomes: [
        { key: 'once-each', expect: 'ACCEPTABLE', description: 'no two workers met at an uninitialized resource' },
        { key: 'initialized-twice', expect: 'INTERESTING', description: 'two workers both saw "not ready" and both initialized' },
      ],
    },
    fixed: {
      summary: 'check again while holding a Lock (double-checked locking)',
      python: 'if not ready[i]:\n    with lock:\n        if not ready[i]:\n            resource[i] = initialize(i); ready[i] = 1',
      worker: (shared, { params }) =>
        useAll(shared, params.iterations, (slot) => {
          if (shared.ready.get(slot) !== 0) return false;
          shared.lock.acquire();
          try {
            if (shared.ready.get(slot) !== 0) return false;
            publish(shared, slot);
            return true;
          } finally {
            shared.lock.release();
          }
        }),
      outcomes: [{ key: 'once-each', expect: 'ACCEPTABLE', description: 'each resource initialized exactly once' }],
    },
    'fixed-event': {
      summary: 'the first to claim initializes; the others wait on an Event',
      python: 'if claim[i].acquire(blocking=False):\n    resource[i] = initialize(i); published[i].set()\nelse:\n    published[i].wait()',
      worker: (shared, { params }) =>
        useAll(shared, params.iterations, (slot) => {
          if (shared.claims[slot].acquire(false)) {
            publish(shared, slot);
            shared.published[slot].set();
            return true;
          }
          shared.published[slot].wait();
          return false;
        }),
      outcomes: [{ key: 'once-each', expect: 'ACCEPTABLE', description: 'each resource initialized exactly once' }],
    },
  },
});
