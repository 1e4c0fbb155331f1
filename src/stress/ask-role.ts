/*
 * Asking a stress target for a worker's role, on the main thread, before any
 * worker runs it: the stress runner and `stress --explore` (explorer/target-stress.ts)
 * alike. The target's role() is the user's code: one that raises, runs past
 * `seconds` or returns another shape is the file's UserCodeError, named
 * `role(worker, workers)`, as Python names the frame an exception came from.
 */
import { callWithin } from '../harness/call-within.js';
import { callUserCode } from '../user-code.js';
import { checkedRole, type StressRole, type StressTarget } from './define-target.js';

/** Worker `worker`'s role of `workers`, from `file`'s target, within `seconds`. */
export function askRole(file: string, target: StressTarget, worker: number, workers: number, seconds: number): StressRole<unknown> {
  return callUserCode(file, `role(${worker}, ${workers})`, () => callWithin(seconds, () => checkedRole(target, worker, workers)));
}
