/*
 * An ASCII timeline of a lab run: which thread ran bytecode when, so the GIL's
 * hand-overs and the convoy can be seen. One row per thread, one column per slice
 * of time; each cell shows what the thread spent most of that slice doing:
 *
 *   #  running bytecode (holding the GIL, or running free without one)
 *   ~  in a blocking call, GIL dropped (sleep, send, recv)
 *   .  waiting to take the GIL
 *      (blank) not started yet, or finished
 *
 * Built only from the intervals the threads recorded (thread-state.ts traces).
 */
import { IN_SYSCALL, RUNNING, type ThreadStats } from './thread-state.js';

export const TIMELINE_LEGEND = "# running bytecode   ~ blocking call (GIL dropped)   . waiting for the GIL   (blank) not running";

export interface TimelineOptions {
  /** Columns of the chart. */
  columns: number;
  /** Milliseconds one column stands for. */
  columnMs: number;
  /** Labels for the rows, by thread. */
  labels: readonly string[];
}

const RUNNING_MARK = '#';
const SYSCALL_MARK = '~';
const WAITING_MARK = '.';
const IDLE_MARK = ' ';

/** The chart, from the first thread's start, as lines (a time scale first). */
export function renderTimeline(threads: readonly ThreadStats[], { columns, columnMs, labels }: TimelineOptions): string[] {
  const origin = Math.min(...threads.map((thread) => thread.startMs));
  const width = Math.max(...labels.map((label) => label.length));
  const scale = `${' '.repeat(width)} 0 ms${' '.repeat(Math.max(1, columns - 12))}${formatMs(columns * columnMs)}`;
  const rows = threads.map((thread, index) => {
    const cells = Array.from({ length: columns }, (_, column) =>
      cellMark(thread, origin + column * columnMs, origin + (column + 1) * columnMs),
    );
    return `${labels[index].padEnd(width)} |${cells.join('')}|`;
  });
  return [scale, ...rows];
}

function cellMark(thread: ThreadStats, from: number, to: number): string {
  const alive = overlap(thread.startMs, thread.endMs, from, to);
  if (alive <= 0) return IDLE_MARK;
  let running = 0;
  let blocked = 0;
  for (const [kind, start, end] of thread.trace) {
    if (end <= from || start >= to) continue;
    if (kind === RUNNING) running += overlap(start, end, from, to);
    else if (kind === IN_SYSCALL) blocked += overlap(start, end, from, to);
  }
  const waiting = alive - running - blocked;
  const idle = to - from - alive;
  const largest = Math.max(running, blocked, waiting, idle);
  if (largest === running) return RUNNING_MARK;
  if (largest === blocked) return SYSCALL_MARK;
  if (largest === waiting) return WAITING_MARK;
  return IDLE_MARK;
}

function overlap(start: number, end: number, from: number, to: number): number {
  return Math.max(0, Math.min(end, to) - Math.max(start, from));
}

function formatMs(ms: number): string {
  return `${Number(ms.toPrecision(3))} ms`;
}
