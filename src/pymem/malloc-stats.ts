/*
 * sys._debugmallocstats() (_PyObject_DebugMallocStats in Objects/obmalloc.c):
 * per size class, the pools in use, their blocks in use and free; the arenas
 * mapped in total, unmapped (reclaimed), at the high-water mark and now; and where
 * the mapped bytes go: allocated blocks, free blocks in used pools, wholly unused
 * pools, pool headers, and quantization (the tail of each pool too small for one
 * more block). Free blocks and unused pools in mapped arenas are the
 * fragmentation: memory pymalloc holds but no object uses.
 */
import { A_ADDRESS, A_NFREEPOOLS, A_POOL_ADDRESS, ARENA_WORDS, H_ARENA_OBJECTS, H_ARENAS_CURRENT, H_ARENAS_HIGHWATER, H_ARENAS_TOTAL, H_LARGE_BYTES, H_LARGE_LIVE, P_COUNT, P_SZIDX, POOL_WORDS, type HeapMemory } from './memory.js';
import { blocksPerPool } from './profile.js';

export interface SizeClassStats {
  sizeClass: number;
  size: number;
  pools: number;
  blocksInUse: number;
  availableBlocks: number;
}

export interface MallocStats {
  smallRequestThreshold: number;
  classes: SizeClassStats[];
  arenasAllocatedTotal: number;
  arenasReclaimed: number;
  arenasHighWater: number;
  arenasAllocatedCurrent: number;
  arenaSize: number;
  poolSize: number;
  bytesInAllocatedBlocks: number;
  bytesInAvailableBlocks: number;
  unusedPools: number;
  bytesLostToPoolHeaders: number;
  bytesLostToQuantization: number;
  /** Bytes of mapped arenas not holding objects: available blocks + unused pools + headers + quantization. */
  fragmentationBytes: number;
  /** Blocks the system allocator holds for larger requests, and their bytes. */
  largeBlocks: number;
  largeBytes: number;
}

export function mallocStats(m: HeapMemory): MallocStats {
  const { alignment, poolSize, poolOverhead, arenaSize, smallRequestThreshold } = m.profile.obmalloc;
  const classes: SizeClassStats[] = Array.from({ length: m.classes }, (_, c) => ({
    sizeClass: c,
    size: (c + 1) * alignment,
    pools: 0,
    blocksInUse: 0,
    availableBlocks: 0,
  }));
  let unusedPools = 0;
  for (let slot = 0; slot < m.header[H_ARENA_OBJECTS]; slot++) {
    if (m.arenas[slot * ARENA_WORDS + A_ADDRESS] === 0) continue;
    unusedPools += m.arenas[slot * ARENA_WORDS + A_NFREEPOOLS];
    const carved = m.arenas[slot * ARENA_WORDS + A_POOL_ADDRESS];
    for (let p = 0; p < carved; p++) {
      const pool = (slot * m.poolsPerArena + p) * POOL_WORDS;
      const count = m.pools[pool + P_COUNT];
      if (count === 0) continue;
      const entry = classes[m.pools[pool + P_SZIDX]];
      entry.pools++;
      entry.blocksInUse += count;
      entry.availableBlocks += blocksPerPool(m.profile, entry.sizeClass) - count;
    }
  }
  const sum = (f: (c: SizeClassStats) => number) => classes.reduce((total, c) => total + f(c), 0);
  const stats = {
    smallRequestThreshold,
    classes,
    arenasAllocatedTotal: m.header[H_ARENAS_TOTAL],
    arenasReclaimed: m.header[H_ARENAS_TOTAL] - m.header[H_ARENAS_CURRENT],
    arenasHighWater: m.header[H_ARENAS_HIGHWATER],
    arenasAllocatedCurrent: m.header[H_ARENAS_CURRENT],
    arenaSize,
    poolSize,
    bytesInAllocatedBlocks: sum((c) => c.blocksInUse * c.size),
    bytesInAvailableBlocks: sum((c) => c.availableBlocks * c.size),
    unusedPools,
    bytesLostToPoolHeaders: sum((c) => c.pools * poolOverhead),
    bytesLostToQuantization: sum((c) => c.pools * ((poolSize - poolOverhead) % c.size)),
    fragmentationBytes: 0,
    largeBlocks: m.header[H_LARGE_LIVE],
    largeBytes: m.header[H_LARGE_BYTES],
  };
  stats.fragmentationBytes =
    stats.bytesInAvailableBlocks + unusedPools * poolSize + stats.bytesLostToPoolHeaders + stats.bytesLostToQuantization;
  return stats;
}

const number = (n: number) => n.toLocaleString('en-US');

/** The report in sys._debugmallocstats()'s layout. */
export function formatMallocStats(stats: MallocStats): string {
  const lines = [
    `Small block threshold = ${stats.smallRequestThreshold}, in ${stats.classes.length} size classes.`,
    '',
    'class   size   num pools   blocks in use  avail blocks',
    '-----   ----   ---------   -------------  ------------',
  ];
  for (const c of stats.classes) {
    if (c.pools === 0) continue;
    lines.push(`${String(c.sizeClass).padStart(5)}  ${String(c.size).padStart(5)}  ${String(c.pools).padStart(10)}  ${String(c.blocksInUse).padStart(14)}  ${String(c.availableBlocks).padStart(12)}`);
  }
  const row = (label: string, value: number) => `${label.padEnd(35)}= ${number(value).padStart(20)}`;
  const mapped = stats.arenasAllocatedCurrent * stats.arenaSize;
  lines.push(
    '',
    row('# arenas allocated total', stats.arenasAllocatedTotal),
    row('# arenas reclaimed', stats.arenasReclaimed),
    row('# arenas highwater mark', stats.arenasHighWater),
    row('# arenas allocated current', stats.arenasAllocatedCurrent),
    row(`${stats.arenasAllocatedCurrent} arenas * ${stats.arenaSize} bytes/arena`, mapped),
    '',
    row('# bytes in allocated blocks', stats.bytesInAllocatedBlocks),
    row('# bytes in available blocks', stats.bytesInAvailableBlocks),
    row(`${stats.unusedPools} unused pools * ${stats.poolSize} bytes`, stats.unusedPools * stats.poolSize),
    row('# bytes lost to pool headers', stats.bytesLostToPoolHeaders),
    row('# bytes lost to quantization', stats.bytesLostToQuantization),
    row('# bytes lost to arena alignment', 0),
    row('Total', mapped),
    '',
    row('# system-allocator blocks (> threshold)', stats.largeBlocks),
    row('# bytes in system-allocator blocks', stats.largeBytes),
  );
  return lines.join('\n');
}
