/*
 * The GIL lab's settings and their defaults, in a leaf module so that the command
 * line can offer them (choices, defaults, --help) without loading the lab:
 *   the execution modes the lab compares (see lab.ts);
 *   CPython's default switch interval, DEFAULT_INTERVAL in Python/ceval_gil.c:
 *   5000 microseconds, what sys.getswitchinterval() returns in a fresh CPython;
 *   the convoy measurement's round trips (see convoy.ts).
 */

export const MODES = ['serial', 'threads', 'processes', 'free-threaded'] as const;
export type Mode = (typeof MODES)[number];

/** CPython's DEFAULT_INTERVAL: 5000 microseconds. */
export const DEFAULT_SWITCH_INTERVAL = 0.005;

export const DEFAULT_ROUND_TRIPS = 200;
