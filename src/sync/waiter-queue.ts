/*
 * A FIFO of sleeping threads in shared memory: Condition's list of waiters.
 *
 * CPython's threading.Condition keeps a deque of per-waiter locks: wait() appends
 * a fresh locked lock and sleeps on it, notify(n) pops the first n and releases
 * them. This is that deque in the kernel, so that waiters in different workers
 * share it. A waiter is a 32-byte node, the "slot", that it owns for the length
 * of one wait and sleeps on (its state word is the futex); the queue's head, tail
 * and length live in the Condition's region. Every change to the queue is made
 * while holding the Condition's lock, so the links need no atomics; only the
 * state word is read by a sleeper without the lock.
 *
 *   queue (3 words):  head -> slot -> slot -> ... -> slot <- tail, length
 *   slot (8 words):   state (WAITING | NOTIFIED), next, prev, thread reference
 *                     (2 words, shm/live-threads.ts: who waits), 3 unused
 *
 * The thread reference lets notify tell a waiter whose thread has died (a worker
 * terminated inside wait()) from a living one: such a slot is dropped from the
 * queue, never handed a wake-up.
 * Links are kernel word indexes, 0 for none (word 0 is the kernel's magic, never a
 * slot). Slots are taken from a per-thread cache and only go to the kernel's
 * allocator when the cache is empty: a thread needs one per wait it has in
 * progress (more than one only for concurrent async waits). A cached slot keeps
 * its thread reference (it is this thread's), so taking it again only resets its
 * state. A slot taken and not yet given back is in flight: when a worker's run is
 * ended while it waits (atomics/run-ended.ts), its in-flight slots stay linked in
 * the run's queues; abandonWaiterSlots marks them as a dead thread's, and the
 * Condition frees them at the run's end as it frees a terminated waiter's.
 *
 * The queue is reached through a fixed-length view of the kernel from word 0
 * (region-words.ts: V8 compiles element accesses and Atomics inline only on such
 * views, about 10x cheaper than on kernel.words). A slot may have been allocated
 * after the view was made, past its end, by this thread or any other: every slot
 * index the queue takes in (a new slot, or one read from a link) is checked
 * against the view's length first, and the view is re-made to the kernel's
 * current length when it falls short (growable buffers only grow). A driver that
 * sleeps through this view (wordsForWait) gets it once the slot its wait will take
 * is in the cache and reached: a protocol takes its slot as it starts, and gives
 * it back just before it takes one again, so the same slot comes back.
 */
import type { Kernel } from '../shm/kernel.js';
import { abandonThreadRef, isRecordedThreadDead, recordCurrentThread } from '../shm/live-threads.js';
import { kernelWordsNow } from './region-words.js';

export const WAITING = 0;
export const NOTIFIED = 1;

const SLOT_BYTES = 32;
const SLOT_WORDS = SLOT_BYTES >> 2;
const STATE = 0;
const NEXT = 1;
const PREV = 2;
const THREAD = 3;

/** Word offsets of a queue's fields from its first word. */
const HEAD = 0;
const TAIL = 1;
const LENGTH = 2;
export const QUEUE_WORDS = 3;

/** This thread's spare slots, per kernel. */
const spareSlots = new WeakMap<Kernel, number[]>();
/** This thread's slots taken for a wait and not yet given back, per kernel. */
const inFlightSlots = new WeakMap<Kernel, Set<number>>();

function inFlightSlotsOf(kernel: Kernel): Set<number> {
  let inFlight = inFlightSlots.get(kernel);
  if (inFlight === undefined) inFlightSlots.set(kernel, (inFlight = new Set()));
  return inFlight;
}

/**
 * For a worker whose run was ended while it waited: the slots of its waits, still
 * linked in the run's queues, become a dead thread's (notify skips and frees
 * them; so does the Condition at the run's end). The thread never takes them back.
 */
export function abandonWaiterSlots(kernel: Kernel): void {
  const inFlight = inFlightSlotsOf(kernel);
  const words = kernelWordsNow(kernel);
  for (const slot of inFlight) abandonThreadRef(words, slot + THREAD);
  inFlight.clear();
}

function spareSlotsOf(kernel: Kernel): number[] {
  let spare = spareSlots.get(kernel);
  if (spare === undefined) spareSlots.set(kernel, (spare = []));
  return spare;
}

/**
 * Gives this thread's spare slots back to the kernel: for a worker at the end of
 * its task, when it has no wait in progress, so that a thread which then exits
 * leaves none behind.
 */
export function freeSpareSlots(kernel: Kernel): void {
  const spare = spareSlotsOf(kernel);
  for (const slot of spare.splice(0)) kernel.free(slot << 2);
}

export class WaiterQueue {
  readonly #kernel: Kernel;
  /** The queue's first word. */
  readonly #queue: number;
  readonly #spare: number[];
  readonly #inFlight: Set<number>;
  #words: Int32Array;

  /** The queue whose three words start at kernel word `queue` (in a region already allocated). */
  constructor(kernel: Kernel, queue: number) {
    this.#kernel = kernel;
    this.#queue = queue;
    this.#spare = spareSlotsOf(kernel);
    this.#inFlight = inFlightSlotsOf(kernel);
    this.#words = kernelWordsNow(kernel);
  }

  /** The view, re-made first if `slot` lies past its end (the kernel grew since it was made). */
  #reaching(slot: number): Int32Array {
    if (slot + SLOT_WORDS > this.#words.length) this.#words = kernelWordsNow(this.#kernel);
    return this.#words;
  }

  /** The view for a driver to sleep through in the calling thread's next wait: it reaches the slot that wait will take. */
  wordsForWait(): Int32Array {
    const spare = this.#spare;
    if (spare.length === 0) spare.push(this.#newSlot());
    return this.#reaching(spare[spare.length - 1]);
  }

  /** The view for a driver to sleep on `slot` through (the caller's own, just taken). */
  wordsReaching(slot: number): Int32Array {
    return this.#reaching(slot);
  }

  /** A slot for one wait by the calling thread, in state WAITING and unlinked. */
  takeSlot(): number {
    const slot = this.#spare.pop() ?? this.#newSlot();
    this.#reaching(slot)[slot + STATE] = WAITING;
    this.#inFlight.add(slot);
    return slot;
  }

  /** A slot from the kernel's allocator, holding a reference to the calling thread. */
  #newSlot(): number {
    const slot = this.#kernel.allocForThread(SLOT_BYTES) >> 2;
    const words = this.#reaching(slot);
    words.fill(0, slot, slot + SLOT_WORDS);
    recordCurrentThread(words, slot + THREAD);
    return slot;
  }

  /** Gives a slot back once its waiter holds the lock again (no notifier can touch it then). */
  returnSlot(slot: number): void {
    this.#inFlight.delete(slot);
    this.#spare.push(slot);
  }

  /** Frees the slot of a dead waiter, once unlinked: nobody will ever return it. */
  freeDeadSlot(slot: number): void {
    this.#kernel.free(slot << 2);
  }

  /** Unlinks and frees the slot of every waiter whose thread has exited (with nobody else left to: at a run's end). */
  freeDeadWaiters(): void {
    for (let slot = this.head(); slot !== 0; ) {
      const next = this.#words[slot + NEXT];
      if (this.waiterIsDead(slot)) {
        this.unlink(slot);
        this.freeDeadSlot(slot);
      }
      slot = next;
      this.#reaching(slot);
    }
  }

  /** Whether the thread waiting on this slot (linked, or the caller's own) has exited. */
  waiterIsDead(slot: number): boolean {
    return isRecordedThreadDead(this.#words, slot + THREAD);
  }

  /** Appends the caller's own slot at the tail. */
  enqueue(slot: number): void {
    const queue = this.#queue;
    const tail = this.#words[queue + TAIL];
    const words = this.#reaching(tail);
    words[slot + PREV] = tail;
    words[slot + NEXT] = 0;
    if (tail === 0) words[queue + HEAD] = slot;
    else words[tail + NEXT] = slot;
    words[queue + TAIL] = slot;
    words[queue + LENGTH] += 1;
  }

  /** Takes a linked slot out, wherever it is (a waiter that timed out leaves the queue). */
  unlink(slot: number): void {
    const queue = this.#queue;
    const next = this.#words[slot + NEXT];
    const prev = this.#words[slot + PREV];
    const words = this.#reaching(Math.max(next, prev));
    if (prev === 0) words[queue + HEAD] = next;
    else words[prev + NEXT] = next;
    if (next === 0) words[queue + TAIL] = prev;
    else words[next + PREV] = prev;
    words[queue + LENGTH] -= 1;
  }

  /** The first slot, or 0 when the queue is empty. */
  head(): number {
    const slot = this.#words[this.#queue + HEAD];
    this.#reaching(slot);
    return slot;
  }

  get length(): number {
    return this.#words[this.#queue + LENGTH];
  }

  /** WAITING or NOTIFIED: the one word a sleeper reads without the lock. */
  slotState(slot: number): number {
    return Atomics.load(this.#words, slot + STATE);
  }

  /** Marks a linked slot notified; the caller then has its sleeper woken (futexWake on the slot). */
  markNotified(slot: number): void {
    Atomics.store(this.#words, slot + STATE, NOTIFIED);
  }
}
