/*
 * Python's rules for the timeout arguments of blocking calls, in one place.
 *
 * Lock.acquire and RLock.acquire (Modules/_threadmodule.c) take timeout=-1 for
 * "wait for ever" and refuse a timeout on a non-blocking call; Semaphore, Condition,
 * Event and Barrier (Lib/threading.py) take timeout=None for "for ever", and
 * Semaphore.acquire refuses a timeout on a non-blocking call. All end up as a
 * Deadline (atomics/futex.ts), 0 meaning "do not wait".
 *
 * CPython keeps a timeout as a signed 64-bit count of nanoseconds (Python/pytime.c,
 * _PyTime_t), so a lock's acquire refuses NaN (ValueError) and more than
 * (2**63 - 1) ns (OverflowError, infinity included) as it parses its arguments.
 * threading.py's classes test `timeout > 0` first: a NaN timeout does not wait
 * (Condition.wait and Event.wait return False; where CPython's Semaphore and
 * Barrier then loop for ever, memplay's do not wait either). Their huge timeouts
 * raise OverflowError only once a wait would block, which memplay does not model:
 * there they wait for ever.
 */
import { OverflowError, ValueError } from '../errors.js';
import { deadlineAfter, type Deadline } from '../atomics/futex.js';

/** Lock/RLock's acquire(blocking, timeout): -1 means no timeout. Returns the deadline. */
export function lockDeadline(blocking: boolean, timeout: number): Deadline {
  if (typeof timeout !== 'number') throw new TypeError('timeout must be a number of seconds');
  if (Number.isNaN(timeout)) throw new ValueError('Invalid value NaN (not a number)');
  if (timeout > LONGEST_TIMEOUT_SECONDS) throw new OverflowError('timestamp out of range for platform time_t');
  if (!blocking) {
    if (timeout !== -1) throw new ValueError("can't specify a timeout for a non-blocking call");
    return 0;
  }
  if (timeout === -1) return Infinity;
  if (timeout < 0) throw new ValueError('timeout value must be positive');
  return deadlineAfter(timeout);
}

/** The longest timeout CPython can hold: 2**63 - 1 nanoseconds (threading.TIMEOUT_MAX is 9223372036.0). */
const LONGEST_TIMEOUT_SECONDS = (2 ** 63 - 1) / 1e9;

/** threading's timeout=None convention: null means for ever; a negative or NaN timeout waits not at all. */
export function optionalDeadline(timeout: number | null | undefined): Deadline {
  if (timeout !== null && timeout !== undefined && typeof timeout !== 'number') throw new TypeError('timeout must be a number of seconds or null');
  return deadlineAfter(timeout === undefined || timeout === null || !Number.isNaN(timeout) ? timeout : 0);
}

/** Semaphore.acquire(blocking, timeout): null means for ever; non-blocking refuses a timeout. */
export function semaphoreDeadline(blocking: boolean, timeout: number | null | undefined): Deadline {
  if (blocking) return optionalDeadline(timeout);
  if (timeout !== null && timeout !== undefined) throw new ValueError("can't specify timeout for non-blocking acquire");
  return 0;
}
