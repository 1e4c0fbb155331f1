/*
 * The data of a `memplay gil --timeline` report: the lab's figures as the CLI's
 * GilReport has them, with the threads' traces turned into lanes of segments
 * ([state, start, end] in ms from the run's start, to 0.001 ms): running
 * bytecode, in a blocking call, and the gaps between: waiting for the GIL where
 * threads share one, else just not running (processes have a GIL each, the
 * free-threaded mode none: nothing of the model's holds them back).
 * The traces themselves are left out (the lanes carry them, smaller). Without
 * --timeline nothing was traced, and the report has no timelines.
 */
import { IN_SYSCALL, type ThreadStats } from '../gil/thread-state.js';
import { CONVOY_LABELS } from '../gil/settings.js';
import type { GilReport } from '../cli/commands/gil.js';

export const LANE_STATES = ['running', 'blocking call', 'waiting for the GIL', 'not running'] as const;
const WAITING = 2;
const NOT_RUNNING = 3;
/** The modes whose threads share one GIL, so that a gap in a lane is a wait for it. */
const SHARED_GIL_MODES: readonly string[] = ['serial', 'threads'];
/** A lane's segment: [index into LANE_STATES, start ms, end ms]. */
export type Segment = [state: number, start: number, end: number];
export interface Lane {
  label: string;
  segments: Segment[];
  truncated: boolean;
}
export interface TimelineData {
  title: string;
  lanes: Lane[];
}

export type GilReportData = Omit<GilReport, 'lab' | 'convoy'> & {
  lab: Omit<GilReport['lab'], 'modes'> & { modes: Omit<GilReport['lab']['modes'][number], 'stats'>[] };
  convoy: (Omit<NonNullable<GilReport['convoy']>, 'runs'> & { runs: (Omit<NonNullable<GilReport['convoy']>['runs'][number], 'stats'> & { label: string })[] }) | null;
  /** What a segment's state number means. */
  laneStates: readonly string[];
  timelines: TimelineData[];
};

export function gilReportData(report: GilReport, traced: boolean): GilReportData {
  const timelines = traced ? timelinesOf(report) : [];
  return {
    ...report,
    lab: { ...report.lab, modes: report.lab.modes.map(({ stats: _stats, ...mode }) => mode) },
    convoy: report.convoy === null ? null : { ...report.convoy, runs: report.convoy.runs.map(({ stats: _stats, ...run }) => ({ ...run, label: CONVOY_LABELS[run.setting] })) },
    laneStates: LANE_STATES,
    timelines,
  };
}

/** Every mode's threads as lanes, then the convoy's I/O and CPU threads under one GIL. */
function timelinesOf(report: GilReport): TimelineData[] {
  const timelines = report.lab.modes.map((mode) => ({ title: `${mode.mode}`, lanes: lanesOf(mode.stats, (index) => `${mode.mode} ${index}`, SHARED_GIL_MODES.includes(mode.mode) ? WAITING : NOT_RUNNING) }));
  const convoy = report.convoy?.runs.find((run) => run.setting === 'beside-cpu-gil');
  if (convoy !== undefined) timelines.push({ title: 'convoy: an I/O thread beside a CPU thread, one GIL', lanes: lanesOf(convoy.stats, (index) => (index === 0 ? 'convoy: I/O' : 'convoy: CPU'), WAITING) });
  return timelines;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** Each thread's trace as a lane, the times from the earliest start among `stats`. */
function lanesOf(stats: readonly ThreadStats[], label: (index: number) => string, gapState: number): Lane[] {
  const origin = Math.min(...stats.map((thread) => thread.startMs));
  return stats.map((thread, index) => ({ label: label(index), segments: segmentsOf(thread, origin, gapState), truncated: thread.traceTruncated }));
}

/** The trace's intervals with the gaps between them (within the thread's life) in `gapState`. */
function segmentsOf(thread: ThreadStats, origin: number, gapState: number): Segment[] {
  const segments: Segment[] = [];
  let cursor = thread.startMs;
  const push = (state: number, start: number, end: number) => {
    if (end > start) segments.push([state, round(start - origin), round(end - origin)]);
  };
  for (const [kind, start, end] of thread.trace) {
    push(gapState, cursor, start);
    push(kind === IN_SYSCALL ? 1 : 0, start, end);
    cursor = Math.max(cursor, end);
  }
  push(gapState, cursor, thread.endMs);
  return segments;
}
