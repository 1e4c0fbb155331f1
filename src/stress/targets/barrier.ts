/*
 * Stress target `barrier`: threading.Barrier(workers) crossed round after round by
 * every worker. The barrier's action (run by the last to arrive, before anyone is
 * released) numbers the generation and clears the index record of the generation
 * after it; so every party of a generation must read the same generation number,
 * its own round + 1, and the indexes wait() returns in one generation must be
 * distinct (each party sets its index's bit; finding it set already is a
 * violation). All parties must stop after the same generation, or the last ones
 * would wait for ever: the action decides it (time up or --ops reached) and every
 * party stops there.
 *
 * Layout: SharedWords [generation | last generation (0: not decided) | index bits
 * of even generations | index bits of odd generations].
 */
import { Barrier } from '../../sync/barrier.js';
import { defineStressTarget, type OpContext } from '../define-target.js';
import { SharedWords } from '../../shm/shared-words.js';

const GENERATION = 0;
const LAST = 1;
const INDEX_BITS = 2;
/** The parties' indexes of a generation are bits of one 32-bit word. */
const MAX_WORKERS = 31;

interface Crossing {
  barrier: Barrier;
  state: SharedWords;
}

export default defineStressTarget<Crossing>({
  name: 'barrier',
  summary: 'threading.Barrier(workers): every worker crosses it round after round',
  invariants: ['every party of a generation sees the same generation number', 'the indexes of one generation are distinct', 'all parties stop after the same generation'],
  maxWorkers: MAX_WORKERS,
  // Made with an action, which the main thread never runs (it does not wait): each party attaches the barrier with its own.
  setup: ({ workers }) => ({ barrier: new Barrier(workers, { action: () => {} }), state: new SharedWords(4) }),
  role: () => {
    let barrier: Barrier | undefined;
    let current: OpContext | undefined;
    let index = -1;
    const action = (words: Int32Array) => () => {
      const generation = (words[GENERATION] += 1);
      words[INDEX_BITS + ((generation + 1) % 2)] = 0;
      const ops = current!.params.ops;
      if (current!.stopping || (ops !== null && generation >= ops)) Atomics.store(words, LAST, generation);
    };
    return {
      name: 'party',
      stopsWithRun: false,
      acquire: ({ barrier: shared, state }, op) => {
        const last = Atomics.load(state.words, LAST);
        if (last !== 0 && op.iteration >= last) return false;
        current = op;
        barrier ??= Barrier.attach(shared.handle, { action: action(state.words) });
        index = barrier.wait();
        return true;
      },
      critical: ({ state }, op) => {
        const words = state.words;
        const generation = words[GENERATION];
        op.check(generation === op.iteration + 1, () => `generation ${generation} seen by a party in its round ${op.iteration + 1}`);
        const bit = 1 << index;
        const before = Atomics.or(words, INDEX_BITS + (generation % 2), bit);
        op.check((before & bit) === 0, () => `index ${index} returned twice in generation ${generation}`);
        op.hold();
      },
      release: () => {},
    };
  },
  finalCheck: ({ state }, run) => {
    const generations = state.words[GENERATION];
    const uneven = run.ops.findIndex((ops) => ops !== generations);
    return uneven === -1 ? undefined : `worker ${uneven} crossed ${run.ops[uneven]} generations of ${generations}`;
  },
  waitsOn: ({ barrier }) => ({ what: `the Barrier (${barrier.nWaiting} of ${barrier.parties} waiting)` }),
});
