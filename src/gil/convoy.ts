/*
 * The convoy effect (David Beazley, "Understanding the Python GIL", 2010): an
 * I/O-bound thread drops the GIL for every send and recv, and must take it back
 * after each. Alone, the GIL is free and the take is instant. Beside one CPU-bound
 * thread, the GIL is busy: the I/O thread waits a whole switch interval before it
 * may even ask for it, and so each short I/O call costs about an interval.
 *
 * Measured three ways, each a real run: the I/O thread (echo_client: one-byte
 * round trips to an echo peer outside every GIL, the other end of a socketpair)
 * alone under its GIL; beside a thread running spin_until_done under the same
 * GIL; and beside the same spinner with no GIL (free-threaded), where the convoy
 * disappears. The spinner stops when the I/O thread sets `done`.
 */
import { Gil, type GilCounters } from './gil.js';
import { CONVOY_SETTINGS, DEFAULT_ROUND_TRIPS, DEFAULT_SWITCH_INTERVAL, type ConvoySetting } from './settings.js';
import { labThreadTask, runGated, spanMs, type GatedTask } from './lab.js';
import type { LabThreadResult, LabThreadSpec } from '../harness/protocol.js';
import { SharedWords } from '../shm/shared-words.js';
import { SocketPair } from './socketpair.js';
import type { ThreadStats } from './thread-state.js';

export interface ConvoyOptions {
  /** One-byte round trips the I/O thread makes. */
  roundTrips: number;
  switchInterval?: number;
  trace?: boolean;
  timeoutMs?: number;
}

export interface ConvoyRun {
  setting: ConvoySetting;
  /** The I/O thread's wall time for all its round trips. */
  ioMs: number;
  /** ioMs / round trips, in microseconds. */
  perRoundTripUs: number;
  /** ioMs over the I/O thread's time alone, measured in the same convoy run. */
  multiple: number;
  /** The I/O thread's time inside take_gil. */
  gilWaitMs: number;
  gil: GilCounters;
  /** The I/O thread's stats, then the spinner's when there is one. */
  stats: ThreadStats[];
}

export interface ConvoyResult {
  roundTrips: number;
  switchInterval: number;
  runs: ConvoyRun[];
}

const DEFAULT_TIMEOUT_MS = 300_000;

export async function runConvoy(options: ConvoyOptions): Promise<ConvoyResult> {
  const switchInterval = options.switchInterval ?? DEFAULT_SWITCH_INTERVAL;
  const runs: ConvoyRun[] = [];
  for (const setting of CONVOY_SETTINGS) runs.push(await runSetting(setting, { ...options, switchInterval }));
  for (const run of runs) run.multiple = run.ioMs / runs[0].ioMs;
  return { roundTrips: options.roundTrips, switchInterval, runs };
}

async function runSetting(setting: ConvoySetting, options: ConvoyOptions & { switchInterval: number }): Promise<ConvoyRun> {
  const threads = setting === 'alone' ? 1 : 2;
  return runGated<LabThreadResult | number, ConvoyRun>(
    threads + 1,
    () => {
      const gil = setting === 'beside-cpu-no-gil' ? null : new Gil({ switchInterval: options.switchInterval });
      const globals = new SharedWords(1);
      const pair = new SocketPair();
      const base = { gil: gil?.handle ?? null, globals: globals.handle, trace: options.trace };
      const client: LabThreadSpec = { ...base, program: 'echoClient', args: [options.roundTrips], socket: { pair: pair.handle, end: 0 } };
      const spinner: LabThreadSpec = { ...base, program: 'spinUntilDone', args: [0] };
      const specs = [client, spinner].slice(0, threads);
      const tasks: GatedTask[] = [...specs.map(labThreadTask), { export: 'runEchoPeer', args: [pair.handle] }];
      return { tasks, finish: (results) => convoyRun(setting, options, results.slice(0, threads) as LabThreadResult[], gil) };
    },
    options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  );
}

function convoyRun(setting: ConvoySetting, options: ConvoyOptions, results: readonly LabThreadResult[], gil: Gil | null): ConvoyRun {
  const stats = results.map((result) => result.stats);
  const ioMs = spanMs([stats[0]]);
  return {
    setting,
    ioMs,
    perRoundTripUs: (ioMs * 1000) / options.roundTrips,
    multiple: 1,
    gilWaitMs: stats[0].gilWaitMs,
    gil: gil?.counters() ?? { switches: 0, dropRequests: 0, forcedSwitchWaits: 0 },
    stats,
  };
}
