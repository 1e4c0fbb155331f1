/*
 * The upper bound of every number the command line takes: one rule for every
 * command, so that no option starts threads until memory runs out, or asks for a
 * run that cannot end. Each kind of number has one limit and one reason, which
 * `memplay <command> --help` and README.md state:
 *   workers   --workers of run, stress and gil: threads started at once;
 *   count     every other whole number (--iterations, --ops, --work,
 *             --round-trips, sim's counts): per-worker counts;
 *   repeat    --repeat: whole runs, each reported;
 *   seconds   --duration, --timeout, --switch-interval;
 *   seed      --seed: the seeded streams take 32 bits;
 *   hold      stress --hold, microseconds spent inside each critical section;
 *   roundTrips gil --round-trips: each waits for a GIL switch beside a CPU-bound thread;
 *   preemptions explore's and stress --explore's --preemptions: the search's bound.
 * A command may ask less (a scenario's own maxWorkers, the barrier stress target's
 * 31, gil's 32-bit loop counter); none may ask more.
 */

export interface Limit {
  readonly max: number;
  /** Why, in a few words, for the error message and the help. */
  readonly reason: string;
}

export const LIMITS = {
  workers: { max: 64, reason: 'each worker is a thread with a V8 isolate of its own, about 10 MB' },
  count: { max: 1_000_000_000, reason: 'counts live in 32-bit words of the shared boards' },
  repeat: { max: 10_000, reason: 'each repeat is a whole run, kept in the report' },
  seconds: { max: 86_400, reason: 'one day: a longer run is not a test' },
  seed: { max: 2 ** 32 - 1, reason: 'the random streams are seeded with 32 bits' },
  hold: { max: 1_000_000, reason: 'one second inside each critical section' },
  preemptions: { max: 20, reason: 'the number of schedules grows as steps^K' },
  roundTrips: { max: 20_000, reason: 'beside a CPU-bound thread each round trip waits about 5 ms for the GIL' },
} as const satisfies Record<string, Limit>;
