/*
 * Stress target `condition`: a bounded buffer guarded by threading.Condition, as
 * queue.Queue builds it: one Lock and two Conditions on it, not_full and not_empty.
 * Even workers produce, odd ones consume (so at least 2 workers).
 *
 *   producer: with the lock, wait_for(count < CAPACITY), put an item, notify(not_empty);
 *             after its last item it says so and notify_all(not_empty);
 *   consumer: with the lock, wait_for(count > 0 or no producer left), take an item,
 *             notify(not_full); it stops once the buffer is empty and no producer is left.
 *
 * Checked: no lost wake-up and exactly-once delivery. An item is (producer << 20) |
 * sequence; the FIFO under one lock hands a producer's items out in order, so each
 * taken item must be the next of its producer's sequence (a duplicate or a loss is
 * seen at once); at the end, the count and the checksum of what was produced and
 * consumed agree and the buffer is empty. A lost wake-up leaves a worker asleep
 * with work to do: the run then hangs and the watchdog reports who waits on what.
 *
 * Layout: SharedWords [head | tail | count | producers left | produced | consumed |
 * produced checksum | consumed checksum | last sequence per producer (64) | ring (CAPACITY)].
 */
import { Condition } from '../../sync/condition.js';
import { Lock } from '../../sync/lock.js';
import { defineStressTarget, type OpContext, type StressRole } from '../define-target.js';
import { SharedWords } from '../../shm/shared-words.js';

const CAPACITY = 8;
const MAX_WORKERS = 64;
const HEAD = 0;
const TAIL = 1;
const COUNT = 2;
const PRODUCERS_LEFT = 3;
const PRODUCED = 4;
const CONSUMED = 5;
const PRODUCED_SUM = 6;
const CONSUMED_SUM = 7;
const LAST_SEQUENCE = 8;
const RING = LAST_SEQUENCE + MAX_WORKERS;
const SEQUENCE_MASK = 0xf_ffff;

interface Buffer {
  lock: Lock;
  notFull: Condition;
  notEmpty: Condition;
  state: SharedWords;
}

const itemOf = (producer: number, iteration: number): number => (producer << 20) | (iteration & SEQUENCE_MASK);
/** A mix of the item's bits, so that a checksum tells one item from another, not only their sum. */
const checksumOf = (item: number): number => Math.imul(item ^ (item >>> 15), 0x2c1b_3c6d) | 0;

const producer: StressRole<Buffer> = {
  name: 'producer',
  acquire: ({ lock, notFull, state }) => {
    lock.acquire();
    notFull.waitFor(() => state.words[COUNT] < CAPACITY);
    return true;
  },
  critical: ({ notEmpty, state }, op) => {
    const words = state.words;
    const item = itemOf(op.worker, op.iteration);
    words[RING + words[TAIL]] = item;
    words[TAIL] = (words[TAIL] + 1) % CAPACITY;
    words[COUNT] += 1;
    words[PRODUCED] += 1;
    words[PRODUCED_SUM] = (words[PRODUCED_SUM] + checksumOf(item)) | 0;
    op.hold();
    notEmpty.notify();
  },
  release: ({ lock }) => lock.release(),
  finish: ({ lock, notEmpty, state }) => {
    using _ = lock.hold();
    state.words[PRODUCERS_LEFT] -= 1;
    notEmpty.notifyAll();
  },
};

const consumer: StressRole<Buffer> = {
  name: 'consumer',
  stopsWithRun: false,
  acquire: ({ lock, notEmpty, state }) => {
    lock.acquire();
    notEmpty.waitFor(() => state.words[COUNT] > 0 || state.words[PRODUCERS_LEFT] === 0);
    if (state.words[COUNT] > 0) return true;
    lock.release();
    return false;
  },
  critical: ({ notFull, state }, op) => {
    const words = state.words;
    const item = words[RING + words[HEAD]];
    words[HEAD] = (words[HEAD] + 1) % CAPACITY;
    words[COUNT] -= 1;
    words[CONSUMED] += 1;
    words[CONSUMED_SUM] = (words[CONSUMED_SUM] + checksumOf(item)) | 0;
    checkNextInSequence(words, item, op);
    op.hold();
    notFull.notify();
  },
  release: ({ lock }) => lock.release(),
};

function checkNextInSequence(words: Int32Array, item: number, op: OpContext): void {
  const from = item >>> 20;
  op.check(from < op.workers && from % 2 === 0, () => `consumed an item no producer made: ${item}`);
  const expected = (words[LAST_SEQUENCE + from] + 1) & SEQUENCE_MASK;
  const sequence = item & SEQUENCE_MASK;
  op.check(sequence === expected, () =>
    sequence < expected ? `item ${sequence} of producer ${from} consumed twice` : `items ${expected}..${sequence - 1} of producer ${from} were lost`,
  );
  words[LAST_SEQUENCE + from] = sequence;
}

export default defineStressTarget<Buffer>({
  name: 'condition',
  summary: 'threading.Condition: producers and consumers through a bounded buffer (not_full / not_empty on one Lock)',
  invariants: ['no lost wake-up (no worker left asleep with work to do)', 'every item consumed exactly once, in its producer\'s order', 'count and checksum of produced and consumed items agree'],
  minWorkers: 2,
  maxWorkers: MAX_WORKERS,
  setup: ({ workers }) => {
    const lock = new Lock();
    const state = new SharedWords(RING + CAPACITY);
    state.words[PRODUCERS_LEFT] = Math.ceil(workers / 2);
    state.words.fill(-1, LAST_SEQUENCE, LAST_SEQUENCE + MAX_WORKERS);
    return { lock, notFull: new Condition(lock), notEmpty: new Condition(lock), state };
  },
  role: (worker) => (worker % 2 === 0 ? producer : consumer),
  finalCheck: ({ state }) => {
    const words = state.words;
    if (words[COUNT] !== 0) return `${words[COUNT]} items left in the buffer after every consumer stopped`;
    if (words[PRODUCED] !== words[CONSUMED]) return `${words[PRODUCED]} items produced but ${words[CONSUMED]} consumed`;
    if (words[PRODUCED_SUM] !== words[CONSUMED_SUM]) return `checksums differ: produced ${words[PRODUCED_SUM]}, consumed ${words[CONSUMED_SUM]}`;
    return undefined;
  },
  waitsOn: ({ lock, state }, worker) => ({
    what: worker % 2 === 0 ? `the Lock or not_full (buffer ${state.words[COUNT]}/${CAPACITY})` : `the Lock or not_empty (buffer ${state.words[COUNT]}/${CAPACITY}, ${state.words[PRODUCERS_LEFT]} producers left)`,
    ownerThreadId: lock.ownerThreadId,
  }),
});
