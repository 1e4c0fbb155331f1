/*
 * The blocking calls a lab thread can make (the SYSCALL instruction of
 * bytecode.ts), what C code does between Py_BEGIN_ALLOW_THREADS and
 * Py_END_ALLOW_THREADS: time.sleep, a send or recv on a socket, acquiring a
 * threading.Lock. The thread state drops the GIL around each call.
 *
 * Sleep is a futex wait on a word of this thread's own that nobody wakes, with a
 * deadline: the thread is off the CPU for the time, as in nanosleep(2).
 */
import { RuntimeError, ValueError } from '../errors.js';
import { deadlineAfter, expired, futexWait } from '../atomics/futex.js';
import type { Lock } from '../sync/lock.js';
import { Syscall } from './bytecode.js';
import type { SocketEnd } from './socketpair.js';

export interface Devices {
  /** The thread's socket, for SEND and RECV. */
  socket?: SocketEnd;
  /** The thread's threading.Lock, for LOCK_ACQUIRE and LOCK_RELEASE. */
  lock?: Lock;
}

export class SystemCalls {
  readonly #devices: Devices;
  readonly #sleepWord = new Int32Array(new SharedArrayBuffer(4));

  constructor(devices: Devices = {}) {
    this.#devices = devices;
  }

  /**
   * The call done at once, GIL held, when it cannot block: a lock release, or an
   * acquire of a free lock (CPython's acquire_timed tries without blocking before it
   * drops the GIL). Undefined when the call must be made blocking, GIL dropped.
   */
  tryWithoutBlocking(number: number): number | undefined {
    if (number === Syscall.LOCK_RELEASE) return this.call(number, 0);
    if (number === Syscall.LOCK_ACQUIRE && this.#lock().acquire(false)) return 1;
    return undefined;
  }

  /** Makes the call, blocking as long as it must; returns its result. */
  call(number: number, arg: number): number {
    switch (number) {
      case Syscall.SLEEP:
        return this.sleep(arg);
      case Syscall.SEND:
        this.#socket().send(arg);
        return 1;
      case Syscall.RECV:
        return this.#socket().recv() ?? -1;
      case Syscall.LOCK_ACQUIRE:
        return this.#lock().acquire() ? 1 : 0;
      case Syscall.LOCK_RELEASE:
        this.#lock().release();
        return 0;
      default:
        throw new ValueError(`no such syscall: ${number}`);
    }
  }

  /** Sleeps `microseconds`; returns 0. */
  sleep(microseconds: number): number {
    const deadline = deadlineAfter(microseconds / 1e6);
    while (!expired(deadline)) futexWait(this.#sleepWord, 0, 0, deadline);
    return 0;
  }

  #socket(): SocketEnd {
    if (this.#devices.socket === undefined) throw new RuntimeError('this thread has no socket');
    return this.#devices.socket;
  }

  #lock(): Lock {
    if (this.#devices.lock === undefined) throw new RuntimeError('this thread has no lock');
    return this.#devices.lock;
  }
}
