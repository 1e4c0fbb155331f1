/*
 * The text of `memplay sim`'s answers, one renderer per demo of demos.ts: what
 * sys.getsizeof, list_resize, the dict and set tables, pymalloc's pools, the
 * cyclic GC, the recursion limit and the small-int cache did, with every table in
 * the one layout of src/text/table.ts. The command line only chooses a renderer.
 */
import { textTable } from '../text/table.js';
import type { ContainerGrowth, CycleLeak, Fragmentation, GcSchedule, Generations, ListGrowth, RecursionLimit, SizeBreakdown, SmallIntIdentity } from './demos.js';

const SHOWN_ITEMS = 20;
const FIGURES = { left: [] as number[] };

export function renderSizeof(b: SizeBreakdown): string {
  const gcHeader = b.object.gcHeader ? ` (GC header ${b.object.gcHeader} + ${b.object.bytes - b.object.gcHeader})` : '';
  const block = b.object.allocator === 'static' ? 'statically allocated' : `${b.object.allocator} block of ${b.object.blockBytes}`;
  const lines = [`sys.getsizeof(${b.source}) == ${b.size}`, `  ${b.type}, built by ${b.built}`, `  object: ${b.object.bytes} bytes${gcHeader}, ${block}`];
  if (b.buffer !== null) lines.push(`  buffer: ${b.buffer.bytes} bytes, ${b.buffer.allocator} block of ${b.buffer.blockBytes}`);
  if (b.items.length > 0) {
    lines.push(`  items (not counted in getsizeof):`);
    for (const item of b.items.slice(0, SHOWN_ITEMS)) lines.push(`    ${shortened(item.repr, 40)}: ${item.size}${item.shared ? ' (shared)' : ''}`);
    if (b.items.length > SHOWN_ITEMS) lines.push(`    ... and ${b.items.length - SHOWN_ITEMS} more`);
  }
  lines.push(`  everything it reaches, each object once: ${b.deepSize} bytes`);
  return lines.join('\n');
}

export function renderListGrowth(g: ListGrowth): string {
  const rows = g.resizes.map((r) => [String(r.length), String(r.allocated), String(r.size)]);
  return [
    `A list grown by ${g.appends} appends reallocates ${g.resizes.length === 1 ? 'once' : `${g.resizes.length} times`} (list_resize over-allocates):`,
    '',
    textTable(['len', 'allocated', 'getsizeof'], rows, FIGURES),
    '',
    `final size: ${g.sizes.at(-1)} bytes`,
  ].join('\n');
}

export function renderContainerGrowth(g: ContainerGrowth): string {
  const what = g.container === 'dict' ? 'd[key] = None' : 's.add(key)';
  const rows = g.resizes.map((r) => [String(r.length), String(r.size)]);
  return [
    `A ${g.container} grown by ${g.insertions} insertions (${what}, ${g.keys} keys) resizes its table ${g.resizes.length === 1 ? 'once' : `${g.resizes.length} times`}:`,
    '',
    textTable(['len', 'getsizeof'], rows, FIGURES),
    '',
    `final size: ${g.sizes.at(-1)} bytes (--json: getsizeof after every insertion)`,
  ].join('\n');
}

/** `mallocStats`: the allocator's statistics at the fragmented point, formatted (malloc-stats.ts), when asked for. */
export function renderFragmentation(f: Fragmentation, mallocStats?: string): string {
  const header = ['phase', 'live', 'arenas', 'freed', 'pools', 'in use B', 'held, unused B', 'use'];
  const rows = f.phases.map((p) => [
    p.phase,
    String(p.liveObjects),
    String(p.arenas),
    String(p.arenasReclaimed),
    String(p.poolsInUse),
    String(p.bytesInAllocatedBlocks),
    String(p.fragmentationBytes),
    `${(p.utilization * 100).toFixed(2)}%`,
  ]);
  const lines = [`${f.objects} floats (${f.objectBytes} bytes each, 32-byte blocks); keep one in every ${f.keepEvery}:`, '', textTable(header, rows)];
  if (mallocStats !== undefined) lines.push('', 'At the fragmented point:', mallocStats);
  return lines.join('\n');
}

export function renderCycle(c: CycleLeak): string {
  return c.steps
    .map((s) => {
      const counts = Object.entries(s.refcounts).map(([name, count]) => `${name}: refcount ${count}`).join(', ');
      const collected = s.collected === undefined ? '' : ` -> ${s.collected} unreachable objects found and freed`;
      return `>>> ${s.code}${collected}\n    ${s.alive ? `alive (${counts})` : 'freed'}`;
    })
    .join('\n');
}

export function renderGenerations(g: Generations & { schedule?: GcSchedule }): string {
  const rows = g.steps.map((s) => [s.code, `(${s.count.join(', ')})`, String(s.generationOfX), s.collections.join(', ')]);
  const lines = [
    `gc.get_threshold() == (${g.thresholds.join(', ')})`,
    '',
    textTable(['code', 'gc.get_count()', 'x in generation', 'collections (gen 0, 1, 2)'], rows, { left: [0, 1, 2, 3] }),
  ];
  if (g.schedule !== undefined) {
    const [young, middle, old] = g.schedule.collections;
    lines.push('', `keep = [[] for _ in range(${g.schedule.allocations})]  ->  automatic collections: generation 0: ${young}, generation 1: ${middle}, generation 2: ${old}`);
  }
  return lines.join('\n');
}

export function renderRecursion(r: RecursionLimit): string {
  return [
    `sys.setrecursionlimit(${r.limit}); def recurse(): recurse(); recurse()`,
    `${r.deepestCall} calls succeeded (${r.framesAtError} frames with the module's), then:`,
    r.error,
  ].join('\n');
}

export function renderSmallInts(s: SmallIntIdentity): string {
  const yes = (b: boolean) => (b ? 'True' : 'False');
  const rows = s.checks.map((c) => [String(c.value), yes(c.oneCompilation), yes(c.twoCompilations), yes(c.runtime)]);
  return [
    `a is b, for a and b bound to equal ints three ways (a == b is True in every case):`,
    `  one module:   a = N; b = N             equal constants of one compilation are one object`,
    `  two prompts:  >>> a = N  then  >>> b = N   two compilations: only the cached ints ${s.range[0]}..${s.range[1]} are shared`,
    `  run time:     a = int('N'); b = int('N')   each int made at run time is new, unless cached`,
    '',
    textTable(['N', 'one module', 'two prompts', 'run time'], rows, { left: [1, 2, 3], rule: false }),
  ].join('\n');
}

export function shortened(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 3)}...` : text;
}
