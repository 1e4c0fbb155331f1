/*
 * Scenario barrier-phases: workers compute a grid in phases (a stencil), each
 * phase reading the previous phase's cells, including the cells of other
 * workers. Without a barrier between phases a fast worker reads cells a slow
 * one has not written yet (or has already overwritten), and the result differs
 * from the sequential computation. Fixed with a Barrier after each phase.
 */
import { Barrier, defineScenario, type Judgement, randomBelow, RawSharedArray, type SharedTypedArray } from '../src/scenario.js';

const MODULUS = 1_000_003;

/** The stencil: a cell's next value from itself, its right neighbour and the cell half the grid away. */
const step = (self: number, next: number, far: number): number => (self + 3 * next + 7 * far + 1) % MODULUS;

/** One phase over cells [from, to) of an n-cell grid, reading generation `phase % 2` and writing the other. */
function computePhase(read: (i: number) => number, write: (i: number, v: number) => void, n: number, from: number, to: number): void {
  for (let i = from; i < to; i++) write(i, step(read(i), read((i + 1) % n), read((i + n / 2) % n)));
}

function phaseViews(cells: SharedTypedArray<'i'>, n: number, phase: number) {
  const source = (phase % 2) * n;
  const target = n - source;
  return { read: (i: number) => cells.get(source + i), write: (i: number, v: number) => cells.set(target + i, v) };
}

/** Worker `index`'s share of every phase, with `betweenPhases` after each. */
function work(cells: SharedTypedArray<'i'>, index: number, workers: number, chunk: number, phases: number, betweenPhases: () => void): null {
  const n = workers * chunk;
  for (let phase = 0; phase < phases; phase++) {
    const { read, write } = phaseViews(cells, n, phase);
    computePhase(read, write, n, index * chunk, (index + 1) * chunk);
    betweenPhases();
  }
  return null;
}

/** The same computation on one thread: what the workers must produce. */
function sequential(initial: readonly number[], phases: number): number[] {
  let current = [...initial];
  for (let phase = 0; phase < phases; phase++) {
    const next = new Array<number>(current.length);
    computePhase((i) => current[i], (i, v) => (next[i] = v), current.length, 0, current.length);
    current = next;
  }
  return current;
}

export default defineScenario({
  name: 'barrier-phases',
  summary: 'phased computation without a barrier reads half-updated data',
  explain:
    'The workers compute a grid in phases, each worker owning a slice: in every phase each cell becomes a ' +
    'function of cells of the previous phase, some of them in other workers\' slices (double buffering: read ' +
    'one generation, write the other). Without a barrier, a worker that finishes its slice starts the next ' +
    'phase at once and reads neighbours\' cells that are not computed yet, or already one phase ahead; the ' +
    'grid no longer matches the sequential result. A Barrier after each phase makes every worker wait until ' +
    'all have finished the phase. Python:\n' +
    '    for phase in range(phases):\n' +
    '        compute_my_slice(phase)       # reads other slices of the previous phase\n' +
    '        barrier.wait()                # the fix: nobody starts phase+1 early',
  // cells: the cells each worker owns; explored with one each (every read and write is a step of the search).
  params: { workers: 4, iterations: 100, repeat: 5, timeout: 10, cells: 256 },
  exploreParams: { cells: 1 },
  setup: (params, random) => {
    const n = params.workers * params.cells;
    const initial = Array.from({ length: n }, () => randomBelow(random, MODULUS));
    const cells = RawSharedArray('i', 2 * n);
    initial.forEach((value, i) => cells.set(i, value));
    return { cells, initial, barrier: new Barrier(params.workers) };
  },
  judge: ({ shared, params }): Judgement => {
    const n = params.workers * params.cells;
    const expected = sequential(shared.initial, params.iterations);
    const offset = (params.iterations % 2) * n;
    const wrong = expected.filter((value, i) => shared.cells.get(offset + i) !== value).length;
    return {
      outcome: wrong === 0 ? 'matches-sequential' : 'stale-reads',
      observed: wrong === 0 ? `all ${n} cells match the sequential result` : `${wrong} of ${n} cells differ from the sequential result`,
      expected: `all ${n} cells match the sequential result after ${params.iterations} phases`,
    };
  },
  variants: {
    racy: {
      summary: 'each worker goes on to the next phase as soon as its slice is done',
      python: 'for phase in range(phases):\n    compute_my_slice(phase)',
      worker: ({ cells }, { index, workers, params }) => work(cells, index, workers, params.cells, params.iterations, () => {}),
      outcomes: [
        { key: 'matches-sequential', expect: 'ACCEPTABLE', description: 'the workers happened to stay in step' },
        { key: 'stale-reads', expect: 'INTERESTING', description: 'a phase read cells of the wrong generation' },
      ],
    },
    fixed: {
      summary: 'barrier.wait() after every phase',
      python: 'for phase in range(phases):\n    compute_my_slice(phase)\n    barrier.wait()',
      worker: ({ cells, barrier }, { index, workers, params }) => work(cells, index, workers, params.cells, params.iterations, () => barrier.wait()),
      outcomes: [{ key: 'matches-sequential', expect: 'ACCEPTABLE', description: 'every phase read the finished previous one' }],
    },
  },
});
