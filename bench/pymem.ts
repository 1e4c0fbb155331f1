/*
 * npm run bench:pymem: what the CPython memory model (src/pymem) costs, against
 * floors measured in the same run and against the issue's targets on this machine.
 *
 *   alloc+free pairs   floor: pop and push one slot of a free list in an Int32Array (the least any
 *                      shared-memory allocator does); pymalloc: objectMalloc(24) + objectFree, the
 *                      allocator alone; float: heap.float() + decref, a whole object (slot, columns,
 *                      pymalloc block); 1-tuple: a GC object (tracked, counted, untracked), whose
 *                      allocations start a generation-0 collection every 700.
 *                      Target: >= 10 million pairs per second (<= 100 ns a pair).
 *   full collection    floor: one pass over the 1,000,000 objects' refcounts and GC links; gc.collect()
 *                      over 1,000,000 tracked lists, all reachable from one list; and over 1,000,000
 *                      lists in 500,000 unreachable 2-cycles (rebuilt before each run, not timed).
 *                      Target: < 1 s.
 *   host bytes         the heap's region plus its pools' link regions and its chunked columns'
 *                      chunks, over the objects alive, for a heap sized for 1,000,000 objects of one
 *                      kind. Target: <= 64 bytes an object (issue 7), <= 32 on average over the four
 *                      kinds (issue 16). Each row says where the bytes go: the per-object columns
 *                      (the chunks made included), the store, the pools' free-block links, the pool
 *                      and arena headers, the rest (header, frames, tables).
 *
 * Timed rows repeat (--reps, default 7) after a warm-up, rows of a group interleaved
 * so a row and its floor share the machine's load; the table gives median, min and
 * max, the ratio of medians to the floor, and the ratio to the target (< 1 meets it).
 *
 * Usage: node dist/bench/pymem.js [--reps N] [--json]
 */
import { parseBenchArguments } from './lib/arguments.js';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { PyHeap, type PyRef } from '../src/pymem/heap.js';
import { H_CHUNK_BYTES, H_MEMORY_BYTES } from '../src/pymem/memory.js';
import { objectFree, objectMalloc } from '../src/pymem/obmalloc.js';
import { textTable } from '../src/text/table.js';

export interface PymemBenchRow {
  group: string;
  name: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  /** median / the floor's median (null for rows without a floor). */
  vsFloor: number | null;
  /** median / target, when smaller is better (< 1 meets the target). */
  vsTarget: number | null;
  target: string;
  /** For host-bytes rows: bytes per object in each part of the heap. */
  breakdown?: Record<string, number>;
}

const PAIRS = 2_000_000;
const OBJECTS = 1_000_000;
const PAIR_TARGET_NS = 100;
const COLLECT_TARGET_MS = 1000;
const BYTES_TARGET = 64;
/** Issue 16: the host-bytes rows' average, and the 1-tuple pairs per second. */
export const AVERAGE_BYTES_TARGET = 32;
export const TUPLE_RATE_TARGET = 10e6;

type Sample = () => number;

function interleave(reps: number, samples: Sample[]): number[][] {
  for (const sample of samples) sample();
  const measured = samples.map((): number[] => []);
  for (let rep = 0; rep < reps; rep++) for (const [index, sample] of samples.entries()) measured[index].push(sample());
  return measured;
}

function stats(values: number[]): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted[sorted.length - 1] };
}

function nsPer(operations: number, loop: () => void): number {
  const begin = performance.now();
  loop();
  return ((performance.now() - begin) * 1e6) / operations;
}

// ---- alloc+free pairs ----

function floorPairs(): number {
  const free = new Int32Array(1024);
  for (let i = 0; i < free.length; i++) free[i] = i;
  const cells = new Int32Array(1024);
  let top = free.length;
  return nsPer(PAIRS, () => {
    for (let i = 0; i < PAIRS; i++) {
      const slot = free[--top];
      cells[slot] = i;
      free[top++] = slot;
    }
  });
}

function pymallocPairs(heap: PyHeap): number {
  const m = heap.memory;
  return nsPer(PAIRS, () => {
    for (let i = 0; i < PAIRS; i++) objectFree(m, objectMalloc(m, 24));
  });
}

function floatPairs(heap: PyHeap): number {
  return nsPer(PAIRS, () => {
    for (let i = 0; i < PAIRS; i++) heap.decref(heap.float(i));
  });
}

function tuplePairs(heap: PyHeap, item: PyRef): number {
  return nsPer(PAIRS, () => {
    for (let i = 0; i < PAIRS; i++) {
      heap.incref(item);
      heap.decref(heap.tuple([item]));
    }
  });
}

// ---- full collection ----

function bigHeap(): PyHeap {
  return new PyHeap({ capacity: OBJECTS + 100_000, maxArenas: 256, storeWords: 10 * OBJECTS, maxLarge: 1 << 12 });
}

/** Milliseconds of one pass over every object's refcount and GC links (what any collection must at least read). */
function floorScan(heap: PyHeap): number {
  const { refcnt, gcNext, gcPrev } = heap.memory;
  const top = heap.liveObjects() + 1000;
  const begin = performance.now();
  let sum = 0;
  for (let id = 0; id < top; id++) sum += refcnt[id] + (gcNext.get(id) & 1) + (gcPrev.get(id) & 1);
  const elapsed = performance.now() - begin;
  if (sum === -1) throw new Error('unreachable');
  return elapsed;
}

function timedCollect(heap: PyHeap, expected: number): number {
  const begin = performance.now();
  const found = heap.collect();
  const elapsed = performance.now() - begin;
  if (found !== expected) throw new Error(`gc.collect() found ${found} unreachable objects, expected ${expected}`);
  return elapsed;
}

function buildCycles(heap: PyHeap): void {
  for (let i = 0; i < OBJECTS / 2; i++) {
    const a = heap.list();
    const b = heap.list([a]);
    heap.append(a, b);
    heap.decref(b);
  }
}

// ---- host bytes ----

const COLUMNS = ['refcnt', 'ptr', 'size', 'data', 'aux', 'type', 'flags'] as const;

/** Where a heap's host bytes go, per object alive (columns: the fixed ones, and the chunks of the chunked ones made). */
function bytesBreakdown(heap: PyHeap, objects: number): Record<string, number> {
  const m = heap.memory;
  const chunks = m.header[H_CHUNK_BYTES];
  const columns = COLUMNS.reduce((sum, column) => sum + m[column].byteLength, 0) + chunks;
  const links = heap.hostBytes() - m.header[H_MEMORY_BYTES] - chunks;
  const parts = { columns, store: m.store.byteLength, links, pools: m.pools.byteLength + m.arenas.byteLength };
  const rest = heap.hostBytes() - Object.values(parts).reduce((sum, bytes) => sum + bytes, 0);
  return Object.fromEntries(Object.entries({ ...parts, rest }).map(([part, bytes]) => [part, bytes / objects]));
}

/** A heap sized for OBJECTS objects of one kind, each with `storeWords` words of contents (its store sized to fit). */
function hostBytesPerObject(storeWords: number, make: (heap: PyHeap, i: number) => PyRef): { bytes: number; breakdown: Record<string, number> } {
  const heap = new PyHeap({
    capacity: OBJECTS + 2000,
    maxArenas: 128,
    storeWords: storeWords * OBJECTS + (1 << 16),
    maxLarge: 64,
    traceCapacity: 64,
    internCapacity: 1024,
    framesPerThread: 64,
    threads: 1,
  });
  try {
    heap.disableGc();
    const before = heap.liveObjects();
    const kept: PyRef[] = [];
    for (let i = 0; i < OBJECTS; i++) kept.push(make(heap, i));
    const objects = heap.liveObjects() - before;
    return { bytes: heap.hostBytes() / objects, breakdown: bytesBreakdown(heap, objects) };
  } finally {
    heap.destroy();
  }
}

export function runPymemBench(reps = 7): PymemBenchRow[] {
  const rows: PymemBenchRow[] = [];
  const add = (group: string, name: string, unit: string, values: number[], floor: number | null, target: number | null, targetText: string) => {
    const s = stats(values);
    rows.push({ group, name, unit, ...s, vsFloor: floor === null ? null : s.median / floor, vsTarget: target === null ? null : s.median / target, target: targetText });
    return s.median;
  };

  // A warm heap: live objects in the measured size classes, so a pair takes and gives back a block
  // of a used pool (the common case) rather than emptying the pool and returning it to its arena.
  const pairHeap = new PyHeap({ capacity: 1 << 14 });
  const item = pairHeap.none();
  const residents = Array.from({ length: 1000 }, (_, i) => [pairHeap.float(i), pairHeap.tuple([pairHeap.none()])]);
  const [floor, pymalloc, float, tuple] = interleave(reps, [floorPairs, () => pymallocPairs(pairHeap), () => floatPairs(pairHeap), () => tuplePairs(pairHeap, item)]);
  const pairTarget = `>= ${PAIR_TARGET_NS} ns (10 M pairs/s)`;
  const floorMedian = add('alloc+free pairs', 'floor: Int32Array free list', 'ns/pair', floor, null, null, '');
  add('alloc+free pairs', 'pymalloc block (24 bytes)', 'ns/pair', pymalloc, floorMedian, PAIR_TARGET_NS, pairTarget.replace('>=', '<='));
  add('alloc+free pairs', 'float object', 'ns/pair', float, floorMedian, PAIR_TARGET_NS, pairTarget.replace('>=', '<='));
  add('alloc+free pairs', '1-tuple (GC object)', 'ns/pair', tuple, floorMedian, PAIR_TARGET_NS, pairTarget.replace('>=', '<='));
  if (residents.length !== 1000) throw new Error('residents lost');
  pairHeap.destroy();

  const reachable = bigHeap();
  reachable.disableGc();
  const holder = reachable.list();
  for (let i = 0; i < OBJECTS; i++) {
    const l = reachable.list();
    reachable.append(holder, l);
    reachable.decref(l);
  }
  const garbage = bigHeap();
  garbage.disableGc();
  const [scan, full, cycles] = interleave(reps, [
    () => floorScan(reachable),
    () => timedCollect(reachable, 0),
    () => {
      buildCycles(garbage);
      return timedCollect(garbage, OBJECTS);
    },
  ]);
  const scanMedian = add('full collection', 'floor: one pass over 1 M objects', 'ms', scan, null, null, '');
  add('full collection', 'gc.collect(), 1 M reachable lists', 'ms', full, scanMedian, COLLECT_TARGET_MS, `< ${COLLECT_TARGET_MS} ms`);
  add('full collection', 'gc.collect(), 1 M lists in 2-cycles', 'ms', cycles, scanMedian, COLLECT_TARGET_MS, `< ${COLLECT_TARGET_MS} ms`);
  reachable.destroy();
  garbage.destroy();

  // The store words each kind needs: none for numbers or an empty list (no ob_item, no block), 2 for a 1-tuple's item.
  const kinds: [string, number, (heap: PyHeap, i: number) => PyRef][] = [
    ['floats', 0, (heap, i) => heap.float(i)],
    ['ints (1000 and up)', 0, (heap, i) => heap.int(1000 + i)],
    ['empty lists', 0, (heap) => heap.list()],
    ['1-tuples of None', 2, (heap) => heap.tuple([heap.none()])],
  ];
  for (const [name, words, make] of kinds) {
    const { bytes, breakdown } = hostBytesPerObject(words, make);
    add('host bytes per object', `1 M ${name}`, 'bytes', [bytes], null, BYTES_TARGET, `<= ${BYTES_TARGET} bytes`);
    rows[rows.length - 1].breakdown = breakdown;
  }
  return rows;
}

export interface PymemTargets {
  averageBytes: number;
  tuplesPerSecond: number;
  bytesMet: boolean;
  rateMet: boolean;
}

/** Issue 16's targets: the host-bytes rows' average, and the 1-tuple allocation rate. */
export function judgePymem(rows: PymemBenchRow[]): PymemTargets {
  const bytes = rows.filter((row) => row.breakdown !== undefined);
  const averageBytes = bytes.reduce((sum, row) => sum + row.median, 0) / bytes.length;
  const tuple = rows.find((row) => row.name === '1-tuple (GC object)');
  const tuplesPerSecond = tuple === undefined ? NaN : 1e9 / tuple.median;
  return { averageBytes, tuplesPerSecond, bytesMet: averageBytes <= AVERAGE_BYTES_TARGET, rateMet: tuplesPerSecond >= TUPLE_RATE_TARGET };
}

export function formatPymemBench(rows: PymemBenchRow[]): string {
  const header = ['group', 'benchmark', 'unit', 'median', 'min', 'max', 'vs floor', 'vs target', 'target'];
  const fixed = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
  const body = rows.map((r) => [
    r.group,
    r.name,
    r.unit,
    fixed(r.median),
    fixed(r.min),
    fixed(r.max),
    r.vsFloor === null ? (r.vsTarget === null ? '(floor)' : '') : `${r.vsFloor.toFixed(2)}x`,
    r.vsTarget === null ? '' : `${r.vsTarget.toFixed(2)}x`,
    r.target,
  ]);
  const pairs = rows.filter((r) => r.unit === 'ns/pair' && r.vsFloor !== null).map((r) => `${r.name}: ${(1e3 / r.median).toFixed(1)} M pairs/s`);
  const breakdowns = rows
    .filter((r) => r.breakdown !== undefined)
    .map((r) => `  ${r.name}: ${Object.entries(r.breakdown!).map(([part, bytes]) => `${part} ${bytes.toFixed(1)}`).join(', ')}`);
  const judged = judgePymem(rows);
  const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
  return [
    textTable(header, body, { left: [0, 1, 2, 8] }),
    '',
    pairs.join('; '),
    'where the host bytes go, per object:',
    ...breakdowns,
    `average host bytes per object ${judged.averageBytes.toFixed(1)} (target <= ${AVERAGE_BYTES_TARGET}): ${verdict(judged.bytesMet)}; ` +
      `1-tuples ${(judged.tuplesPerSecond / 1e6).toFixed(1)} M/s (target >= ${TUPLE_RATE_TARGET / 1e6} M/s): ${verdict(judged.rateMet)}`,
  ].join('\n');
}

function main(): void {
  const options = parseBenchArguments('bench:pymem', process.argv.slice(2), 7);
  const loadBefore = loadavg()[0];
  const rows = runPymemBench(options.reps);
  const load = `load average ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after (this machine's cores are shared)`;
  process.stdout.write(
    options.json ? `${JSON.stringify({ rows, loadBefore, loadAfter: loadavg()[0] })}\n` : `${formatPymemBench(rows)}\n(${options.reps} repetitions, node ${process.version}; ${load})\n`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
