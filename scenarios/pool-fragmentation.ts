/*
 * Scenario pool-fragmentation: many small objects (floats, 32-byte pymalloc
 * blocks) allocated, then most of them freed, on the model heap
 * (src/pymem/obmalloc.ts, Objects/obmalloc.c of 3.11). pymalloc carves 16 KiB
 * pools out of 1 MiB arenas and gives an arena back to the system only when
 * every pool in it is empty; a pool is empty only when every block in it is.
 * Keeping one float per pool therefore keeps every arena mapped (fragmentation:
 * memory held, almost none of it used). Allocating the survivors together, or
 * freeing everything, lets the arenas go (except the last empty one, which
 * obmalloc keeps to avoid mapping one again at once).
 *
 * The arena counts are predicted here by obmalloc's arithmetic (blocks per pool,
 * pools per arena, from the profile) and the model must match them: any other
 * count is FORBIDDEN.
 */
import { defineScenario, type Judgement, type OutcomeSpec, type ScenarioParams } from '../src/scenario.js';
import { pymem } from '../src/pymem-entry.js';
import { destroyHeaps, formatBytes, type HeapPerWorker, judgeEachAlike, makeHeaps, ownHeap, PROFILE, withAgreement } from './support/heap-per-worker.js';

const { alignment, arenaSize, poolSize } = PROFILE.obmalloc;
/** A float is 24 bytes: size class 1, 32-byte blocks, 510 to a pool. */
const FLOAT_CLASS = Math.ceil(PROFILE.sizes.float / alignment) - 1;
const FLOATS_PER_POOL = pymem.blocksPerPool(PROFILE, FLOAT_CLASS);
const POOLS_PER_ARENA = arenaSize / poolSize;
/** Pools a fresh model heap already uses (one: its module globals dict), all in its first arena. */
export const START_POOLS = 1;

/** Arenas mapped once `pools` pools are in use besides the fresh heap's own. */
export const arenasFor = (pools: number): number => Math.ceil((START_POOLS + pools) / POOLS_PER_ARENA);
const poolsFor = (floats: number): number => Math.ceil(floats / FLOATS_PER_POOL);
/** One float kept per pool of `floats`. */
const survivorsOf = (floats: number): number => poolsFor(floats);

interface Phase {
  arenas: number;
  pools: number;
  blockBytes: number;
}

/** What one worker did: its peak, and the floats it kept alive. */
interface Churn {
  floats: number;
  survivors: number;
  peak: Phase;
}

type Shared = HeapPerWorker;

function phaseOf(stats: pymem.MallocStats): Phase {
  return {
    arenas: stats.arenasAllocatedCurrent,
    pools: stats.classes.reduce((sum, c) => sum + c.pools, 0),
    blockBytes: stats.bytesInAllocatedBlocks,
  };
}

/**
 * Allocates `floats` floats, then frees every float `survives(i)` rejects.
 * Python:  floats = [float(i) for i in range(n)]; then del or keep.
 */
function churn(heap: pymem.PyHeap, floats: number, survives: (index: number) => boolean): Churn {
  const made: pymem.PyRef[] = Array.from({ length: floats }, (_, i) => heap.float(i + 0.5));
  const peak = phaseOf(heap.mallocStats());
  let survivors = 0;
  made.forEach((ref, i) => (survives(i) ? survivors++ : heap.decref(ref)));
  return { floats, survivors, peak };
}

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;
/** Of `arenas` mapped, those the floats took: all but the fresh heap's own (what python3's figure counts, see explain). */
const forFloats = (arenas: number): number => arenas - arenasFor(0);

function judgeChurn(result: Churn, heap: pymem.PyHeap): Judgement {
  const now = heap.mallocStats(); // read on the main thread, from the heap in shared memory
  const after = phaseOf(now);
  const mapped = after.arenas * now.arenaSize;
  return {
    outcome: `arenas=${after.arenas}`,
    observed:
      `${result.floats} floats: ${plural(result.peak.arenas, 'arena')} at the peak (the heap's first and ${forFloats(result.peak.arenas)} mapped for them; ` +
      `${plural(result.peak.pools, 'pool')}, ${formatBytes(result.peak.blockBytes)} in blocks); ` +
      `${result.survivors} kept: ${plural(after.arenas, 'arena')} still mapped (${forFloats(after.arenas)} of them for the floats), ${plural(after.pools, 'pool')} in use, ` +
      `${formatBytes(after.blockBytes)} in blocks of ${formatBytes(mapped)} mapped (${((100 * after.blockBytes) / mapped).toFixed(1)}% used)`,
    expected: `arenas given back once their pools are empty`,
  };
}

/** The outcomes once `keptPools` pools hold survivors: their arenas stay, plus at most the one empty arena obmalloc keeps. */
function releasedOutcomes(params: ScenarioParams, keptPools: number): OutcomeSpec[] {
  const least = arenasFor(keptPools);
  const peak = arenasFor(poolsFor(params.iterations));
  const specs: OutcomeSpec[] = [];
  for (let arenas = least; arenas <= Math.min(peak, least + 1); arenas++) {
    specs.push({ key: `arenas=${arenas}`, expect: 'ACCEPTABLE', description: arenas === least ? 'every arena without a live block given back' : 'given back, but for the last empty arena obmalloc keeps' });
  }
  if (peak > least + 1) specs.push({ key: `arenas=${peak}`, expect: 'FORBIDDEN', description: 'no arena given back though their pools are empty: the model is wrong' });
  return withAgreement(specs);
}

/** A worker that churns its own heap, keeping float i when `survives(i, keep)` says so (keep: the number of survivors). */
const worker = (survives: (index: number, keep: number) => boolean) => (shared: Shared, context: { index: number; params: ScenarioParams }) => {
  const n = context.params.iterations;
  const keep = survivorsOf(n);
  return churn(ownHeap(shared, context), n, (i) => survives(i, keep));
};

export default defineScenario<ScenarioParams, Shared, Churn>({
  name: 'pool-fragmentation',
  summary: 'free all but one small object per pool and no arena is given back; allocate survivors together and they are',
  explain:
    'pymalloc serves objects of up to 512 bytes from 16 KiB pools of equal-sized blocks, carved out of 1 MiB arenas ' +
    `mapped from the system. A float is a 32-byte block, ${FLOATS_PER_POOL} to a pool. An arena goes back to the system ` +
    'only when all its pools are empty, and a pool is empty only when all its blocks are free, so a program that keeps ' +
    'one object out of every few hundred it made keeps every arena: the process stays as big as at its peak while ' +
    'using a fraction of a percent of it. Objects that live long should be made together (they then share a few ' +
    'pools); freeing everything gives the arenas back (obmalloc keeps the last empty one, to avoid mapping a new one ' +
    'at the next allocation). Python:\n' +
    '    floats = [float(i) for i in range(200_000)]\n' +
    '    keep = floats[::510]            # one float per pool\n' +
    '    del floats                      # 393 floats live; python3 3.11 keeps the 6 arenas (6 MiB) it mapped for them',
  params: { workers: 2, iterations: 200_000, repeat: 3, timeout: 10 },
  setup: (params) => makeHeaps(params.workers, { capacity: params.iterations + 4096, maxArenas: arenasFor(poolsFor(params.iterations)) + 4 }),
  teardown: destroyHeaps,
  judge: ({ shared, results }) => judgeEachAlike(shared, results, judgeChurn),
  // Not a race: what the first variant shows is what CPython does.
  vocabulary: { INTERESTING: 'AS CPYTHON DOES' },
  variants: {
    scattered: {
      summary: `free all but every ${FLOATS_PER_POOL}th float: one survivor per pool`,
      python: `keep = floats[::${FLOATS_PER_POOL}]\ndel floats`,
      worker: worker((i) => i % FLOATS_PER_POOL === 0), // every pool's first float
      outcomes: (params) =>
        withAgreement([
          { key: `arenas=${arenasFor(poolsFor(params.iterations))}`, expect: 'INTERESTING', description: 'no arena given back: one live block per pool pins them all' },
        ]),
    },
    fixed: {
      summary: 'the same number of survivors, allocated together first',
      python: 'keep = [float(i) for i in range(393)]      # made first, together\nfloats = [float(i) for i in range(200_000 - 393)]\ndel floats',
      worker: worker((i, keep) => i < keep), // the survivors come first, together
      outcomes: (params) => releasedOutcomes(params, poolsFor(survivorsOf(params.iterations))),
    },
    'free-all': {
      summary: 'free every float',
      python: 'del floats',
      worker: worker(() => false),
      outcomes: (params) => releasedOutcomes(params, 0),
    },
  },
});
