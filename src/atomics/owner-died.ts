/*
 * What a robust mutex reports when its owner died holding it: POSIX's EOWNERDEAD
 * and ENOTRECOVERABLE (pthread_mutexattr_setrobust(3), pthread_mutex_consistent(3)).
 *
 * Python has no robust locks: a multiprocessing.Lock whose holder is killed stays
 * locked for ever. memplay's Lock and RLock keep that behaviour unless someone who
 * watches threads die (the stress runner, on a worker's 'exit' event) marks the
 * lock with `markOwnerDead(threadId)`, as Linux marks a robust futex with
 * FUTEX_OWNER_DIED when its owner exits. (The death itself is recorded for every
 * watched thread in the kernel's live-thread table, shm/live-threads.ts, by
 * harness/watch-worker.ts; marking a lock stays an explicit choice.) Then:
 *   - the next acquirer gets the lock AND an OwnerDiedError (EOWNERDEAD): it holds
 *     the lock, the state the lock guards may be half-updated; it repairs it and
 *     calls markConsistent() (pthread_mutex_consistent), or releases it as it is;
 *   - a release without markConsistent() makes the lock unusable: every acquire,
 *     now or later, throws NotRecoverableError (ENOTRECOVERABLE).
 * The errors are told apart by name (isOwnerDied), since a module loaded through
 * tsx has its own copy of these classes.
 */
import { PythonError } from '../errors.js';

/** EOWNERDEAD: the caller now holds a lock whose previous owner died holding it. */
export class OwnerDiedError extends PythonError {}

/** ENOTRECOVERABLE: a lock released after an owner death without markConsistent(). */
export class NotRecoverableError extends PythonError {}

export function isOwnerDied(error: unknown): error is OwnerDiedError {
  return error instanceof Error && error.name === 'OwnerDiedError';
}

export function isNotRecoverable(error: unknown): error is NotRecoverableError {
  return error instanceof Error && error.name === 'NotRecoverableError';
}
