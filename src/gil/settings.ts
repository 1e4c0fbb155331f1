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

/** The convoy measurement's settings (convoy.ts), and each as the reports name it. */
export const CONVOY_SETTINGS = ['alone', 'beside-cpu-gil', 'beside-cpu-no-gil'] as const;
export type ConvoySetting = (typeof CONVOY_SETTINGS)[number];
export const CONVOY_LABELS: Readonly<Record<ConvoySetting, string>> = {
  alone: 'I/O thread alone',
  'beside-cpu-gil': 'beside a CPU thread, one GIL',
  'beside-cpu-no-gil': 'beside a CPU thread, no GIL',
};
