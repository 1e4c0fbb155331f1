/*
 * How long worker threads may take to start, apart from how long a run may take.
 * A worker is a fresh V8 isolate that loads its modules, and one that loads a
 * TypeScript file compiles it first (tsx): 5 to 7 s per worker was measured on a
 * loaded 2-core machine, more with many workers sharing the cores. So every run
 * (the coordinator's scenarios, the stress runner, the GIL lab) has two bounds:
 * this one, from submitting the workers until every one has passed the start
 * gate, and the run's own --timeout, which starts at the gate. Python's
 * counterpart: the time a multiprocessing.Process takes to spawn, which no
 * join(timeout) of the work should have to count.
 */

/** Seconds from submitting a run's workers until all of them have passed its start gate. */
export const STARTUP_LIMIT_SECONDS = 120;
