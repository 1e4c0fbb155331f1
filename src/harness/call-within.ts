/*
 * A bound on the time of synchronous code that runs on memplay's main thread: a
 * scenario's setup, judge and teardown, a stress target's setup, role, finalCheck
 * and mutex, a whole explorer search (which calls them between schedules). The
 * workers are bounded by the watchdog (watchdog.ts), which sees them from the
 * main thread; nothing sees the main thread itself, so a judge that loops for
 * ever would hang the command. Python's counterpart: none in the language, the
 * user presses Ctrl-C; here memplay does it for them.
 *
 * Algorithm: node:vm runs `call` with a timeout, which starts a watchdog thread
 * that asks V8 to terminate the script when the time is up (the termination also
 * ends an Atomics.wait); vm turns the termination into an error at its boundary,
 * which we raise as CallTimedOut. A termination skips `finally` blocks, so the
 * code it cut short may have left its state half-changed: the kernel's lock is
 * let go if this thread held it (a robust mutex whose owner died), and a caller
 * treats CallTimedOut as the end of the command, not of one run.
 * Starting the watchdog thread costs about 0.3 ms a call, so an explorer search
 * is bounded as a whole, not schedule by schedule.
 */
import { Script, createContext } from 'node:vm';
import { defaultKernel } from '../shm/kernel.js';

export class CallTimedOut extends Error {
  override readonly name = 'TimeoutError';

  /** `bound` says the limit as the user set it (default: the seconds). */
  constructor(readonly seconds: number, bound = `${seconds} s`) {
    super(`did not return within ${bound}, so memplay stopped it (an endless loop?)`);
  }
}

const context = createContext({ call: null as (() => unknown) | null });
const runCall = new Script('call()', { filename: 'memplay:call-within' });

/** What `call` returns; CallTimedOut if it runs for more than `seconds` (its own errors propagate as they are). */
export function callWithin<T>(seconds: number, call: () => T, bound?: string): T {
  context.call = call;
  try {
    return runCall.runInContext(context, { timeout: Math.max(1, Math.round(seconds * 1000)) }) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException | null)?.code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw error;
    defaultKernel().letGoIfHeldHere();
    throw new CallTimedOut(seconds, bound);
  } finally {
    context.call = null;
  }
}
