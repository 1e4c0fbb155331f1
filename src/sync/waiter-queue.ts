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
 * Links are word indexes into kernel.words, 0 for none (word 0 is the kernel's
 * magic, never a slot). Slots are taken from a per-thread cache and only go to the
 * kernel's allocator when the cache is empty: a thread needs one per wait it has
 * in progress (more than one only for concurrent async waits).
 */
import type { Kernel } from '../shm/kernel.js';
import { isRecordedThreadDead, recordCurrentThread } from '../shm/live-threads.js';

export const WAITING = 0;
export const NOTIFIED = 1;

const SLOT_BYTES = 32;
const STATE = 0;
const NEXT = 1;
const PREV = 2;
const THREAD = 3;

/** Word offsets of a queue's fields from its first word. */
const HEAD = 0;
const TAIL = 1;
const LENGTH = 2;
export const QUEUE_WORDS = 3;

const spareSlots = new WeakMap<Kernel, number[]>();

/** A slot for one wait by the calling thread, in state WAITING and unlinked. */
export function takeSlot(kernel: Kernel): number {
  const spare = spareSlots.get(kernel)?.pop();
  const slot = spare ?? kernel.alloc(SLOT_BYTES) >> 2;
  kernel.words.fill(0, slot, slot + SLOT_BYTES / 4);
  recordCurrentThread(kernel.words, slot + THREAD);
  return slot;
}

/** Whether the thread waiting on this slot has exited. */
export function waiterIsDead(words: Int32Array, slot: number): boolean {
  return isRecordedThreadDead(words, slot + THREAD);
}

/** Frees the slot of a dead waiter, once unlinked: nobody will ever return it. */
export function freeDeadSlot(kernel: Kernel, slot: number): void {
  kernel.free(slot << 2);
}

/** Gives a slot back once its waiter holds the lock again (no notifier can touch it then). */
export function returnSlot(kernel: Kernel, slot: number): void {
  let spare = spareSlots.get(kernel);
  if (spare === undefined) spareSlots.set(kernel, (spare = []));
  spare.push(slot);
}

/** Appends a slot at the tail. */
export function enqueue(words: Int32Array, queue: number, slot: number): void {
  const tail = words[queue + TAIL];
  words[slot + PREV] = tail;
  words[slot + NEXT] = 0;
  if (tail === 0) words[queue + HEAD] = slot;
  else words[tail + NEXT] = slot;
  words[queue + TAIL] = slot;
  words[queue + LENGTH] += 1;
}

/** Takes a slot out, wherever it is (a waiter that timed out leaves the queue). */
export function unlink(words: Int32Array, queue: number, slot: number): void {
  const next = words[slot + NEXT];
  const prev = words[slot + PREV];
  if (prev === 0) words[queue + HEAD] = next;
  else words[prev + NEXT] = next;
  if (next === 0) words[queue + TAIL] = prev;
  else words[next + PREV] = prev;
  words[queue + LENGTH] -= 1;
}

/** The first slot, or 0 when the queue is empty. */
export function head(words: Int32Array, queue: number): number {
  return words[queue + HEAD];
}

export function queueLength(words: Int32Array, queue: number): number {
  return words[queue + LENGTH];
}

export function slotState(words: Int32Array, slot: number): number {
  return Atomics.load(words, slot + STATE);
}

/** Marks a slot notified; the caller then wakes its sleeper (futexWake on the slot). */
export function markNotified(words: Int32Array, slot: number): void {
  Atomics.store(words, slot + STATE, NOTIFIED);
}
