/*
 * tracemalloc's snapshots (Lib/tracemalloc.py, Modules/_tracemalloc.c): while
 * tracing, each allocation remembers the frame and line that made it
 * (trace-context.ts; an object made while tracing is flagged TRACED and keeps
 * its trace in the chunked `trace` column, a buffer in its store block); a snapshot sums the live traced allocations (objects and
 * their buffers, at the sizes requested from the allocator) by (function, line).
 * Statistics sort by size, largest first, as Snapshot.statistics('lineno') does,
 * and compareTo gives the difference from an older snapshot, sorted by the
 * absolute size difference (Snapshot.compare_to).
 */
import { FIRST_OBJECT_ID, H_SLOT_TOP, type HeapMemory } from './memory.js';
import { B_TRACE, bufferAddress, bufferBytes, objectBytes } from './objects.js';
import { traceSite } from './trace-context.js';
import { textOf } from './unicode.js';
import { F_STATIC, F_TRACED, T } from './types.js';

export interface TraceStatistic {
  /** "<function>:<line>", as tracemalloc prints a frame. */
  where: string;
  function: string;
  line: number;
  size: number;
  count: number;
}

export interface TraceDifference extends TraceStatistic {
  sizeDiff: number;
  countDiff: number;
}

export class Snapshot {
  constructor(readonly statistics: readonly TraceStatistic[]) {}

  /** The n biggest sites. */
  top(n: number): TraceStatistic[] {
    return this.statistics.slice(0, n);
  }

  get totalSize(): number {
    return this.statistics.reduce((sum, s) => sum + s.size, 0);
  }

  /** Snapshot.compare_to(old, 'lineno'). */
  compareTo(old: Snapshot): TraceDifference[] {
    const before = new Map(old.statistics.map((s) => [s.where, s]));
    const after = new Map(this.statistics.map((s) => [s.where, s]));
    const keys = new Set([...before.keys(), ...after.keys()]);
    const diffs = [...keys].map((where) => {
      const now = after.get(where);
      const then = before.get(where);
      const base = now ?? (then as TraceStatistic);
      return {
        where,
        function: base.function,
        line: base.line,
        size: now?.size ?? 0,
        count: now?.count ?? 0,
        sizeDiff: (now?.size ?? 0) - (then?.size ?? 0),
        countDiff: (now?.count ?? 0) - (then?.count ?? 0),
      };
    });
    return diffs.sort((a, b) => Math.abs(b.sizeDiff) - Math.abs(a.sizeDiff) || b.size - a.size || a.where.localeCompare(b.where));
  }
}

export function takeSnapshot(m: HeapMemory): Snapshot {
  const sizes = new Map<number, { size: number; count: number }>();
  const add = (trace: number, bytes: number) => {
    if (trace === 0) return;
    const entry = sizes.get(trace) ?? { size: 0, count: 0 };
    entry.size += bytes;
    entry.count += 1;
    sizes.set(trace, entry);
  };
  const top = m.header[H_SLOT_TOP];
  for (let id = FIRST_OBJECT_ID; id < top; id++) {
    if (m.type[id] === T.Free || (m.flags[id] & F_STATIC) !== 0) continue;
    if ((m.flags[id] & F_TRACED) !== 0) add(m.trace.get(id), objectBytes(m, id));
    if (bufferAddress(m, id) !== 0) add(m.store[m.data[id] + B_TRACE], bufferBytes(m, id));
  }
  const statistics = [...sizes].map(([trace, { size, count }]) => {
    const site = traceSite(m, trace);
    const fn = site.functionName === 0 ? '<module>' : textOf(m, site.functionName);
    return { where: `${fn}:${site.line}`, function: fn, line: site.line, size, count };
  });
  statistics.sort((a, b) => b.size - a.size || a.where.localeCompare(b.where));
  return new Snapshot(statistics);
}
