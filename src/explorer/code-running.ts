/*
 * What an explorer search is running while it waits on this thread: the
 * scenario's setup, judge or teardown, a worker that has not parked, or the
 * search itself. A search cut short by its time bound (call-within.ts) names it
 * in its error. The bound's termination skips `finally`, so the name stays set
 * where the termination hit.
 */
const SEARCH = 'the search';
let running = SEARCH;

export function codeRunning(): string {
  return running;
}

/** Runs `call` as `what` ("setup", "the judge", "worker 0"). */
export function inUserCode<T>(what: string, call: () => T): T {
  running = what;
  try {
    return call();
  } finally {
    running = SEARCH;
  }
}
