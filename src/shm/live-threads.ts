/*
 * The live-thread table: which threads of the kernel are alive, so that a
 * primitive never hands a wake-up to a dead thread and a report can say that a
 * lock's owner has exited.
 *
 * Counterpart: what the OS knows and a futex word does not. Linux learns of a
 * thread's death at exit(2) and walks its robust list; a Python process that is
 * killed simply vanishes and its peers find out by timing out. Here a thread
 * cannot run any code when it is terminated (Worker.terminate() stops it where it
 * stands, inside Atomics.wait too), so its death is recorded by whoever started
 * it, on the Worker's 'exit' event (harness/watch-worker.ts).
 *
 * Layout: a fixed block of the kernel (layout.ts, just after the directory),
 * LIVE_THREAD_ENTRIES Int32 words, one per thread that attached the kernel:
 *
 *   0            empty
 *   tag          alive: the thread's owner tag (threadId + 1, as in a mutex word)
 *   tag | DEAD   exited: marked by whoever saw its Worker exit
 *
 * Algorithm: a thread registers when it attaches the kernel (kernel.ts): it keeps
 * the entry that already has its tag, else CASes an empty entry to its tag, else
 * recycles a dead one. Marking dead is one CAS tag -> tag | DEAD. A thread that
 * finds the table full (1024 threads alive at once) stays unregistered and counts
 * as alive, which is what every primitive assumed before this table existed.
 *
 * A waiter records a *thread reference*, two words (entry index + 1, tag), where
 * it waits (a Condition's waiter slot, a Barrier's party list); anyone can then
 * tell in one load whether it is dead: its entry no longer holds its bare tag
 * (marked dead, or recycled, which only happens to dead entries). Reference 0
 * means "unregistered": never dead.
 */
import { currentOwnerTag } from '../atomics/thread-identity.js';
import { LIVE_THREAD_ENTRIES, LIVE_THREADS_WORD } from './layout.js';

/** The entry bit of a thread that has exited (above every tag: tags fit in atomics/mutex-word.ts's OWNER_MASK). */
const DEAD = 0x4000_0000;

/** Words of a thread reference: entry index + 1 (0: unregistered), then the tag. */
export const THREAD_REF_WORDS = 2;

/** This thread's entry, per kernel buffer (a thread registers once per kernel). */
const registered = new WeakMap<SharedArrayBuffer, number>();

/** Registers the calling thread as alive in the kernel whose words these are; returns its entry index, or -1 when the table is full. */
export function registerCurrentThread(words: Int32Array): number {
  const known = registered.get(words.buffer as SharedArrayBuffer);
  if (known !== undefined) return known;
  const entry = findEntry(words, currentOwnerTag) ?? claimEntry(words, 0) ?? claimDeadEntry(words) ?? -1;
  registered.set(words.buffer as SharedArrayBuffer, entry);
  return entry;
}

/** Records that thread `threadId` has exited; returns whether it was registered (and alive). */
export function markThreadDead(words: Int32Array, threadId: number): boolean {
  const tag = threadId + 1;
  const entry = findEntry(words, tag);
  return entry !== undefined && Atomics.compareExchange(words, LIVE_THREADS_WORD + entry, tag, tag | DEAD) === tag;
}

/** Whether thread `threadId` is known to have exited (false when it is alive, or unknown to the table). */
export function isThreadDead(words: Int32Array, threadId: number): boolean {
  return findEntry(words, (threadId + 1) | DEAD) !== undefined;
}

/** Writes a reference to the calling thread at words[at], words[at + 1]. */
export function recordCurrentThread(words: Int32Array, at: number): void {
  const entry = registerCurrentThread(words);
  Atomics.store(words, at, entry + 1);
  Atomics.store(words, at + 1, entry === -1 ? 0 : currentOwnerTag);
}

/** Clears the thread reference at words[at] (nobody is recorded there). */
export function clearThreadRef(words: Int32Array, at: number): void {
  Atomics.store(words, at, 0);
  Atomics.store(words, at + 1, 0);
}

/**
 * Makes the reference at words[at] say its thread has exited, though it lives
 * on: for a wait the thread gave up for good (its run ended: atomics/run-ended.ts),
 * so whoever finds the reference treats it as a dead thread's (its tag, -1, is
 * one no table entry ever holds).
 */
export function abandonThreadRef(words: Int32Array, at: number): void {
  Atomics.store(words, at + 1, -1);
}

/** Whether the thread recorded at words[at] has exited (an empty or unregistered reference: no). */
export function isRecordedThreadDead(words: Int32Array, at: number): boolean {
  const entry = Atomics.load(words, at) - 1;
  if (entry < 0) return false;
  return Atomics.load(words, LIVE_THREADS_WORD + entry) !== Atomics.load(words, at + 1);
}

/** The index of the entry holding exactly `value`, or undefined. */
function findEntry(words: Int32Array, value: number): number | undefined {
  for (let entry = 0; entry < LIVE_THREAD_ENTRIES; entry++) {
    if (Atomics.load(words, LIVE_THREADS_WORD + entry) === value) return entry;
  }
  return undefined;
}

/** Claims the first entry holding `free` for the calling thread. */
function claimEntry(words: Int32Array, free: number): number | undefined {
  for (let entry = 0; entry < LIVE_THREAD_ENTRIES; entry++) {
    if (Atomics.compareExchange(words, LIVE_THREADS_WORD + entry, free, currentOwnerTag) === free) return entry;
  }
  return undefined;
}

/** Recycles the first dead entry: that thread becomes unknown to isThreadDead, but its references still read as dead. */
function claimDeadEntry(words: Int32Array): number | undefined {
  for (let entry = 0; entry < LIVE_THREAD_ENTRIES; entry++) {
    const seen = Atomics.load(words, LIVE_THREADS_WORD + entry);
    if ((seen & DEAD) !== 0 && Atomics.compareExchange(words, LIVE_THREADS_WORD + entry, seen, currentOwnerTag) === seen) return entry;
  }
  return undefined;
}
