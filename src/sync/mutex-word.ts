/*
 * A mutex in one 32-bit word of shared memory: the engine under Lock, RLock,
 * Condition's default lock and the kernel's own allocator lock.
 *
 * Counterpart: POSIX pthread_mutex_t as glibc builds it on futex(2), in the form
 * Linux uses for robust and priority-inheritance futexes, where the word holds the
 * owner's thread id and a waiters bit (FUTEX_WAITERS). The algorithm is Drepper's
 * "mutex3" ("Futexes Are Tricky", 2011) with the owner stored in place of the 1:
 *
 *   word = 0                          unlocked
 *   word = owner                      locked, nobody asleep on it
 *   word = owner | WAITERS            locked, someone may be asleep on it
 *
 *   lock:   CAS 0 -> me; on failure spin briefly, then set WAITERS and sleep while
 *           the word is unchanged; on waking, CAS 0 -> me|WAITERS (a sleeper cannot
 *           know whether others still sleep, so it keeps the bit, as mutex3 keeps 2).
 *   unlock: exchange -> 0; if WAITERS was set, wake one sleeper.
 *
 * Uncontended, a lock/unlock pair is one compareExchange and one exchange, the
 * same two atomic operations as a bare spin lock. Keeping the owner in the word
 * costs nothing and lets a waiter tell who holds the lock (deadlock and dead-owner
 * reports).
 */
import { expired, futexWake, withDeadline, type Deadline, type Protocol } from './futex.js';

export const WAITERS = 0x4000_0000;
export const OWNER_MASK = 0x1fff_ffff;

/** How many times a contended acquire re-reads the word before it goes to sleep. */
const SPIN_LIMIT = 100;

/** Takes the mutex if it is free; never waits. */
export function tryLockWord(words: Int32Array, index: number, owner: number): boolean {
  return Atomics.compareExchange(words, index, 0, owner) === 0;
}

/** Spins a short, bounded while for the mutex to come free. */
export function spinLockWord(words: Int32Array, index: number, owner: number): boolean {
  for (let spin = 0; spin < SPIN_LIMIT; spin++) {
    if (Atomics.load(words, index) === 0 && Atomics.compareExchange(words, index, 0, owner) === 0) return true;
  }
  return false;
}

/**
 * The sleeping part of an acquire, after the fast path and the spin failed.
 * Returns true once the mutex is taken, false when a wait times out first.
 */
export function* lockWordSlowly(words: Int32Array, index: number, owner: number): Protocol<boolean> {
  for (;;) {
    let seen = Atomics.load(words, index);
    if (seen === 0) {
      if (Atomics.compareExchange(words, index, 0, owner | WAITERS) === 0) return true;
      continue;
    }
    if ((seen & WAITERS) === 0) {
      const marked = seen | WAITERS;
      if (Atomics.compareExchange(words, index, seen, marked) !== seen) continue;
      seen = marked;
    }
    const result = yield [index, seen];
    if (result === 'timed-out') return Atomics.compareExchange(words, index, 0, owner | WAITERS) === 0;
  }
}

/**
 * A whole acquire as one protocol: try once, give up at once if the deadline has
 * passed (a non-blocking call), spin briefly, then sleep until `deadline`. Every
 * wait it yields carries `deadline`, so it can be composed into other protocols.
 */
export function* lockWord(words: Int32Array, index: number, owner: number, deadline: Deadline): Protocol<boolean> {
  if (tryLockWord(words, index, owner)) return true;
  if (expired(deadline)) return false;
  if (spinLockWord(words, index, owner)) return true;
  return yield* withDeadline(lockWordSlowly(words, index, owner), deadline);
}

/** Frees the mutex and wakes one sleeper if there may be one; returns the word as it was. */
export function unlockWord(words: Int32Array, index: number): number {
  const previous = Atomics.exchange(words, index, 0);
  if ((previous & WAITERS) !== 0) futexWake(words, index, 1);
  return previous;
}

/** The owner tag (threadId + 1) of the holder, or 0 when the mutex is free. */
export function ownerOfWord(words: Int32Array, index: number): number {
  return Atomics.load(words, index) & OWNER_MASK;
}
