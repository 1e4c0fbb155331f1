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
 *   ... | WAKE_PENDING                 locked, a Condition waiter to wake at the unlock (sync/mutex-region.ts)
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
 *
 * Robustness (owner-died.ts), as Linux's robust futexes: whoever sees the owner's
 * thread exit marks the word OWNER_DIED with no owner and wakes one sleeper:
 *
 *   word = OWNER_DIED [| WAITERS]          abandoned: its owner died holding it
 *   word = me | OWNER_DIED [| WAITERS]     taken after a death, not yet consistent
 *   word = NOT_RECOVERABLE                 released while inconsistent: dead for good
 *
 * Only the sleeping path looks at these states (the fast path's CAS from 0 fails on
 * them), so they cost the uncontended lock nothing: the acquirer that takes an
 * abandoned word throws OwnerDiedError holding it, and an unlock that finds
 * OWNER_DIED still set leaves NOT_RECOVERABLE and wakes everyone. One window is
 * left open: an acquirer that CASes 0 -> me between that unlock's exchange and its
 * CAS to NOT_RECOVERABLE gets an ordinary lock (glibc closes it in the kernel).
 */
import { expired, futexWake, withDeadline, type Deadline, type Protocol } from './futex.js';
import { NotRecoverableError, OwnerDiedError } from './owner-died.js';

export const WAITERS = 0x4000_0000;
/** The sign bit: a Condition notified a waiter under this hold, to be woken at the unlock (sync/mutex-region.ts). */
export const WAKE_PENDING = 1 << 31;
/** Linux's FUTEX_OWNER_DIED: the owner exited holding the mutex. */
export const OWNER_DIED = 0x2000_0000;
export const OWNER_MASK = 0x1fff_ffff;
/** No thread has this tag: the word of a mutex that can never be taken again. */
export const NOT_RECOVERABLE = OWNER_DIED | OWNER_MASK;

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
    if ((seen & OWNER_DIED) !== 0 && !heldBySomeone(seen)) {
      takeAbandoned(words, index, owner, seen);
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
  if (expired(deadline)) return tryAbandoned(words, index, owner);
  if (spinLockWord(words, index, owner)) return true;
  return yield* withDeadline(lockWordSlowly(words, index, owner), deadline);
}

/** A non-blocking acquire's last chance: an abandoned word is taken (with OwnerDiedError), as trylock gives EOWNERDEAD. */
function tryAbandoned(words: Int32Array, index: number, owner: number): boolean {
  const seen = Atomics.load(words, index);
  if ((seen & OWNER_DIED) !== 0 && !heldBySomeone(seen)) takeAbandoned(words, index, owner, seen);
  return false;
}

function heldBySomeone(seen: number): boolean {
  const tag = seen & OWNER_MASK;
  return tag !== 0 && tag !== OWNER_MASK;
}

/**
 * For a word marked OWNER_DIED that nobody holds: throws NotRecoverableError when
 * it can never be taken; takes it and throws OwnerDiedError (the caller holds it
 * now); returns when another thread took it first, for the caller to look again.
 */
function takeAbandoned(words: Int32Array, index: number, owner: number, seen: number): void {
  if ((seen & OWNER_MASK) === OWNER_MASK) throw new NotRecoverableError('state not recoverable: the lock was released after its owner died, without markConsistent()');
  if (Atomics.compareExchange(words, index, seen, owner | OWNER_DIED | WAITERS) !== seen) return;
  throw new OwnerDiedError('owner died: the previous holder exited holding the lock; the caller holds it now (repair, then markConsistent())');
}

/** Frees the mutex and wakes one sleeper if there may be one; returns the word as it was. */
export function unlockWord(words: Int32Array, index: number): number {
  const previous = Atomics.exchange(words, index, 0);
  if ((previous & (WAITERS | OWNER_DIED)) !== 0) wakeAfterUnlock(words, index, previous);
  return previous;
}

function wakeAfterUnlock(words: Int32Array, index: number, previous: number): void {
  if ((previous & OWNER_DIED) !== 0 && Atomics.compareExchange(words, index, 0, NOT_RECOVERABLE) === 0) futexWake(words, index);
  else if ((previous & WAITERS) !== 0) futexWake(words, index, 1);
}

/** The owner tag (threadId + 1) of the holder, or 0 when the mutex is free or has no live owner. */
export function ownerOfWord(words: Int32Array, index: number): number {
  return ownerInWord(Atomics.load(words, index));
}

/** ownerOfWord for a word already read: 0 when free, abandoned (OWNER_DIED alone) or NOT_RECOVERABLE. */
export function ownerInWord(word: number): number {
  const tag = word & OWNER_MASK;
  return tag === OWNER_MASK ? 0 : tag;
}

/**
 * What Linux does for a robust futex at its owner's exit: if `deadOwner` (a tag)
 * holds the mutex, the word becomes OWNER_DIED with no owner and one sleeper is
 * woken to take it. Returns whether the word was marked.
 */
export function markOwnerDiedWord(words: Int32Array, index: number, deadOwner: number): boolean {
  for (;;) {
    const seen = Atomics.load(words, index);
    if (deadOwner === 0 || (seen & OWNER_MASK) !== deadOwner) return false;
    if (Atomics.compareExchange(words, index, seen, OWNER_DIED | (seen & WAITERS)) === seen) {
      futexWake(words, index, 1);
      return true;
    }
  }
}

/** pthread_mutex_consistent: the holder `owner` clears OWNER_DIED; false when it does not hold an inconsistent mutex. */
export function markConsistentWord(words: Int32Array, index: number, owner: number): boolean {
  for (;;) {
    const seen = Atomics.load(words, index);
    if ((seen & OWNER_MASK) !== owner || (seen & OWNER_DIED) === 0) return false;
    if (Atomics.compareExchange(words, index, seen, seen & ~OWNER_DIED) === seen) return true;
  }
}

/** Whether the mutex is marked OWNER_DIED (abandoned, or taken back and not yet consistent). */
export function ownerDiedOfWord(words: Int32Array, index: number): boolean {
  const seen = Atomics.load(words, index);
  return (seen & OWNER_DIED) !== 0 && (seen & OWNER_MASK) !== OWNER_MASK;
}
