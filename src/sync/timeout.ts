/*
 * Python's rules for the timeout arguments of blocking calls, in one place.
 *
 * Lock.acquire and RLock.acquire (Modules/_threadmodule.c) take timeout=-1 for
 * "wait for ever" and refuse a timeout on a non-blocking call; Semaphore, Condition,
 * Event and Barrier (Lib/threading.py) take timeout=None for "for ever", and
 * Semaphore.acquire refuses a timeout on a non-blocking call. All end up as a
 * Deadline (atomics/futex.ts), 0 meaning "do not wait".
 */
import { ValueError } from '../errors.js';
import { deadlineAfter, type Deadline } from '../atomics/futex.js';

/** Lock/RLock's acquire(blocking, timeout): -1 means no timeout. Returns the deadline. */
export function lockDeadline(blocking: boolean, timeout: number): Deadline {
  if (typeof timeout !== 'number' || Number.isNaN(timeout)) throw new TypeError('timeout must be a number of seconds');
  if (!blocking) {
    if (timeout !== -1) throw new ValueError("can't specify a timeout for a non-blocking call");
    return 0;
  }
  if (timeout === -1) return Infinity;
  if (timeout < 0) throw new ValueError('timeout value must be a non-negative number');
  return deadlineAfter(timeout);
}

/** threading's timeout=None convention: null means for ever; a negative timeout waits not at all. */
export function optionalDeadline(timeout: number | null | undefined): Deadline {
  if (timeout !== null && timeout !== undefined && (typeof timeout !== 'number' || Number.isNaN(timeout))) {
    throw new TypeError('timeout must be a number of seconds or null');
  }
  return deadlineAfter(timeout);
}

/** Semaphore.acquire(blocking, timeout): null means for ever; non-blocking refuses a timeout. */
export function semaphoreDeadline(blocking: boolean, timeout: number | null | undefined): Deadline {
  if (blocking) return optionalDeadline(timeout);
  if (timeout !== null && timeout !== undefined) throw new ValueError("can't specify timeout for non-blocking acquire");
  return 0;
}
