/*
 * Scenario producer-consumer: a bounded buffer (a ring in a SharedArray) between
 * producer and consumer workers. The racy version guards it with a home-made
 * "busy" flag: check that it is 0, then set it to 1. Two workers can both see 0
 * and enter together, and then an item is written over (lost) or taken twice
 * (duplicated). Fixed with a Condition per wait (not full, not empty) on one
 * lock, and with two Semaphores counting the free and the filled slots.
 */
import { type Classification, Condition, defineScenario, type Judgement, Lock, type OutcomeSpec, RawSharedArray, RawValue, type ScenarioParams, Semaphore, type SharedValue, Value } from '../src/scenario.js';
import { busyFor } from './support/busy.js';

const CAPACITY = 8;
const HEAD = 0;
const TAIL = 1;
const COUNT = 2;

const producersOf = (workers: number): number => Math.floor(workers / 2);
const consumersOf = (workers: number): number => workers - producersOf(workers);

function setup() {
  const lock = new Lock();
  return {
    slots: RawSharedArray('i', CAPACITY),
    ring: RawSharedArray('i', 3),
    busy: RawValue('i', 0),
    producersDone: Value('i', 0),
    consumersDone: Value('i', 0),
    lock,
    notFull: new Condition(lock),
    notEmpty: new Condition(lock),
    freeSlots: new Semaphore(CAPACITY),
    filledSlots: new Semaphore(0),
  };
}

type Shared = ReturnType<typeof setup>;

function put({ slots, ring }: Shared, item: number): void {
  const tail = ring.get(TAIL);
  slots.set(tail, item);
  ring.set(TAIL, (tail + 1) % CAPACITY);
  ring.set(COUNT, ring.get(COUNT) + 1);
}

function take({ slots, ring }: Shared): number {
  const head = ring.get(HEAD);
  const item = slots.get(head);
  ring.set(HEAD, (head + 1) % CAPACITY);
  ring.set(COUNT, ring.get(COUNT) - 1);
  return item;
}

/** Producer p's items: distinct numbers from 1 up, as many as the consumers will take from it. */
function itemsOf(producer: number, params: ScenarioParams): number[] {
  const count = consumersOf(params.workers) * params.iterations;
  return Array.from({ length: count }, (_, k) => producer * count + k + 1);
}

const quotaOf = (params: ScenarioParams): number => producersOf(params.workers) * params.iterations;

function countUp(counter: SharedValue<'i'>): void {
  const lock = counter.getLock();
  lock.acquire();
  counter.value += 1;
  lock.release();
}

/** Runs `producer` or `consumer` by role, and counts the worker out when it is done. */
function byRole(
  shared: Shared,
  index: number,
  params: ScenarioParams,
  producer: (items: number[]) => void,
  consumer: (quota: number) => number[],
): number[] | null {
  if (index < producersOf(params.workers)) {
    producer(itemsOf(index, params));
    countUp(shared.producersDone);
    return null;
  }
  const taken = consumer(quotaOf(params));
  countUp(shared.consumersDone);
  return taken;
}

/** How a correct version brackets each put and take: waiting for room or items, and holding the lock. */
interface BufferGuard {
  beforePut(): void;
  afterPut(): void;
  beforeTake(): void;
  afterTake(): void;
}

/** The producer and consumer loops of the fixed versions: every put and take inside the guard. */
function guardedRoles(shared: Shared, index: number, params: ScenarioParams, guard: BufferGuard): number[] | null {
  return byRole(
    shared,
    index,
    params,
    (items) => {
      for (const item of items) {
        guard.beforePut();
        put(shared, item);
        guard.afterPut();
      }
    },
    (quota) => {
      const taken: number[] = [];
      while (taken.length < quota) {
        guard.beforeTake();
        taken.push(take(shared));
        guard.afterTake();
      }
      return taken;
    },
  );
}

/** Spins between naps, and the nap: a spinner gives its core back now and then, or a preempted flag holder stalls everyone. */
const SPINS_PER_NAP = 1024;
const NAP = 0.00002;

/** Waits a little: a busy spin, or once in a long while a nap (Python: `pass`, and a `time.sleep(2e-5)` every 1024th time). */
function pause(spin: number, sleep: (seconds: number) => void): void {
  if (spin % SPINS_PER_NAP === SPINS_PER_NAP - 1) sleep(NAP);
  else busyFor(1);
}

/** The racy guard: wait until the flag reads 0, then set it. Two workers may both see the 0. */
function enterBusy(busy: SharedValue<'i'>, sleep: (seconds: number) => void): void {
  for (let spin = 0; busy.value !== 0; spin++) pause(spin, sleep);
  busyFor(1); // the loop's last test and the store below are two steps; a moment passes between them
  busy.value = 1;
}

const outcomes = (broken: Classification): OutcomeSpec[] => [
  { key: 'each-once', expect: 'ACCEPTABLE', description: 'every item was consumed exactly once' },
  { key: 'lost-or-duplicated', expect: broken, description: 'two workers were inside the buffer at once' },
];

export default defineScenario({
  name: 'producer-consumer',
  summary: 'a bounded buffer guarded by a busy flag loses and duplicates items',
  explain:
    'Producers put numbered items into a ring buffer of 8 slots in a multiprocessing.Array; consumers take them ' +
    'out. The racy version guards the buffer with a flag: wait until busy == 0, then set busy = 1. Waiting and ' +
    'setting are two steps, so two workers that both see 0 enter together: two producers write the same slot ' +
    '(an item is lost) or two consumers take the same item (it is duplicated), and the count drifts. The fixes ' +
    'use a real lock: a Condition for "not full" and one for "not empty" over one Lock, or two Semaphores ' +
    'counting free and filled slots plus a Lock for the ring. Python:\n' +
    '    while busy.value: pass              # wait for the flag (napping now and then)...\n' +
    '    busy.value = 1                      # ...and take it: another worker may have, too\n' +
    '    buf[tail] = item; tail = (tail + 1) % 8; count += 1\n' +
    '    busy.value = 0',
  params: { workers: 4, iterations: 1_000, repeat: 5, timeout: 10 },
  minWorkers: 2,
  setup,
  judge: ({ results, params }): Judgement => {
    const total = producersOf(params.workers) * consumersOf(params.workers) * params.iterations;
    const seen = new Map<number, number>();
    for (const taken of results as (number[] | null)[]) for (const item of taken ?? []) seen.set(item, (seen.get(item) ?? 0) + 1);
    let lost = 0;
    for (let item = 1; item <= total; item++) if (!seen.has(item)) lost++;
    const extra = [...seen.entries()].reduce((sum, [item, times]) => sum + (item >= 1 && item <= total ? times - 1 : times), 0);
    const consumed = [...seen.values()].reduce((sum, times) => sum + times, 0);
    return {
      outcome: lost === 0 && extra === 0 ? 'each-once' : 'lost-or-duplicated',
      observed: `${total} produced, ${consumed} consumed: ${lost} lost, ${extra} duplicated`,
      expected: `${total} produced, ${total} consumed, each once`,
      values: { produced: total, consumed, lost, duplicated: extra },
    };
  },
  variants: {
    racy: {
      summary: 'the ring guarded by a check-then-set busy flag',
      python: 'while busy.value: pass\nbusy.value = 1\n... put or take ...\nbusy.value = 0',
      worker: (shared, { index, params, sleep }) => {
        const producers = producersOf(params.workers);
        const consumers = consumersOf(params.workers);
        const tryOnce = <T>(action: () => T): T => {
          enterBusy(shared.busy, sleep);
          const result = action();
          shared.busy.value = 0;
          return result;
        };
        return byRole(
          shared,
          index,
          params,
          (items) => {
            for (const item of items) {
              for (let spin = 0; !tryOnce(() => shared.ring.get(COUNT) < CAPACITY && (put(shared, item), true)); spin++) {
                if (shared.consumersDone.value === consumers) return;
                pause(spin, sleep);
              }
            }
          },
          (quota) => {
            const taken: number[] = [];
            for (let spin = 0; taken.length < quota; spin++) {
              const item = tryOnce(() => (shared.ring.get(COUNT) > 0 ? take(shared) : undefined));
              if (item !== undefined) taken.push(item);
              else if (shared.producersDone.value === producers && shared.ring.get(COUNT) <= 0) break;
              else pause(spin, sleep);
            }
            return taken;
          },
        );
      },
      outcomes: outcomes('INTERESTING'),
      // Spinning on a busy flag is slow when workers outnumber cores, and a few hundred items already collide.
      params: { iterations: 300 },
      // One producer and one consumer inside together still need a third preemption to interleave their count
      // updates; two consumers that both pass the flag take the same item with two, dfs's default bound.
      exploreWorkers: 3,
    },
    fixed: {
      summary: 'one Lock, with Conditions "not full" and "not empty"',
      python:
        'with not_full:                           # producer\n' +
        '    not_full.wait_for(lambda: count.value < 8)\n' +
        '    put(item); not_empty.notify()\n' +
        'with not_empty:                          # consumer\n' +
        '    not_empty.wait_for(lambda: count.value > 0)\n' +
        '    item = take(); not_full.notify()',
      worker: (shared, { index, params }) => {
        const { lock, notFull, notEmpty, ring } = shared;
        return guardedRoles(shared, index, params, {
          beforePut: () => {
            lock.acquire();
            notFull.waitFor(() => ring.get(COUNT) < CAPACITY);
          },
          afterPut: () => {
            notEmpty.notify();
            lock.release();
          },
          beforeTake: () => {
            lock.acquire();
            notEmpty.waitFor(() => ring.get(COUNT) > 0);
          },
          afterTake: () => {
            notFull.notify();
            lock.release();
          },
        });
      },
      outcomes: outcomes('FORBIDDEN'),
    },
    'fixed-semaphores': {
      summary: 'Semaphores counting free and filled slots, a Lock around the ring',
      python:
        'free.acquire(); with lock: put(item)\nfilled.release()          # producer\n' +
        'filled.acquire(); with lock: item = take()\nfree.release()     # consumer',
      worker: (shared, { index, params }) => {
        const { lock, freeSlots, filledSlots } = shared;
        return guardedRoles(shared, index, params, {
          beforePut: () => {
            freeSlots.acquire();
            lock.acquire();
          },
          afterPut: () => {
            lock.release();
            filledSlots.release();
          },
          beforeTake: () => {
            filledSlots.acquire();
            lock.acquire();
          },
          afterTake: () => {
            lock.release();
            freeSlots.release();
          },
        });
      },
      outcomes: outcomes('FORBIDDEN'),
    },
  },
});
