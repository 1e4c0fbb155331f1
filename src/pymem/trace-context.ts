/*
 * tracemalloc's traces: while tracing, every allocation records where it was made,
 * the innermost frame's (function, line), as tracemalloc records a traceback of
 * depth 1 by default. A trace is an index into the `traces` table, which holds
 * each distinct (function name id + 1, line) pair once, hashed by open addressing;
 * trace 0 means "not traced". Function names are interned strs the table keeps
 * alive (it holds a reference to each).
 */
import { MemoryError } from '../errors.js';
import { FRAME_WORDS, F_FUNCTION, F_LINE, H_TRACE_COUNT, H_TRACING, type HeapMemory } from './memory.js';

/** The trace to record for an allocation made now (0 when not tracing). */
export function currentTrace(m: HeapMemory): number {
  if (m.header[H_TRACING] === 0) return 0;
  const base = threadBase(m, m.currentThread);
  const top = base + 1 + (m.frames[base] - 1) * FRAME_WORDS;
  return traceFor(m, m.frames[top + F_FUNCTION], m.frames[top + F_LINE]);
}

export function threadBase(m: HeapMemory, thread: number): number {
  return thread * (1 + m.handle.framesPerThread * FRAME_WORDS);
}

function traceFor(m: HeapMemory, functionName: number, line: number): number {
  const table = m.traces;
  const slots = table.length >> 1;
  const mask = slots - 1;
  let i = (Math.imul(functionName + 1, 0x9e3779b1) ^ line) & mask;
  for (let probes = 0; probes < slots; probes++, i = (i + 1) & mask) {
    if (i === 0) continue;
    const key = table[2 * i];
    if (key === functionName + 1 && table[2 * i + 1] === line) return i;
    if (key === 0) {
      if (m.header[H_TRACE_COUNT] >= (slots * 3) >> 2) break;
      table[2 * i] = functionName + 1;
      table[2 * i + 1] = line;
      if (functionName !== 0) m.refcnt[functionName]++;
      m.header[H_TRACE_COUNT]++;
      return i;
    }
  }
  throw new MemoryError(`tracemalloc's trace table is full (${slots} places); make the heap with a larger traceCapacity`);
}

/** The (function name id, line) a trace stands for. */
export function traceSite(m: HeapMemory, trace: number): { functionName: number; line: number } {
  return { functionName: m.traces[2 * trace] - 1, line: m.traces[2 * trace + 1] };
}
