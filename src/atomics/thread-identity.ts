/*
 * Who is running: the identity a lock records as its owner.
 *
 * Python's threading.get_ident() names the running thread; here a "thread" is a
 * Node worker, named by worker_threads.threadId (0 on the main thread). A mutex
 * word stores threadId + 1, so that 0 can mean "nobody".
 */
import { threadId } from 'node:worker_threads';

/** The running thread's id as Python's get_ident() would give it: worker threadId, 0 for main. */
export const currentThreadId: number = threadId;

/** The value a mutex word holds while this thread owns it (threadId + 1, never 0). */
export const currentOwnerTag: number = threadId + 1;
