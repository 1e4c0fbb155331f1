/*
 * Stress target `event`: threading.Event as a round-by-round signal. Worker 0 is
 * the setter, the others readers (so at least 2 workers). Two events alternate,
 * so that a reader never mistakes the last round's set() for this round's:
 *
 *   setter, round r: wait until every reader acknowledged round r-1; clear
 *                    events[(r+1) % 2] (set in round r-1, everybody is past it);
 *                    write the payload r with a plain store; set events[r % 2].
 *   reader, round r: events[r % 2].wait(); the event must be set and the payload
 *                    must read r (a plain load): what was written before set()
 *                    is visible after wait() returns; then acknowledge.
 * The setter's last act raises the round after its last one with DONE, which
 * ends the readers. Checked: event visibility (flag and payload) and that no
 * reader is left waiting (a missed set() hangs the run and the watchdog says where).
 *
 * Layout: SharedWords [payload | acknowledgements | done round + 1].
 */
import { Event } from '../../sync/event.js';
import { deadlineAfter, futexWait, futexWake } from '../../atomics/futex.js';
import { defineStressTarget, type OpContext, type StressRole } from '../define-target.js';
import { SharedWords } from '../../shm/shared-words.js';

const PAYLOAD = 0;
const ACKS = 1;
const DONE = 2;

interface Signal {
  events: Event[];
  state: SharedWords;
}

/** Sleeps until every reader acknowledged `rounds` rounds (each wait bounded, then looked at again). */
function awaitAcks(state: SharedWords, op: OpContext, rounds: number): void {
  const wanted = (op.workers - 1) * rounds;
  for (let seen = Atomics.load(state.words, ACKS); seen < wanted; seen = Atomics.load(state.words, ACKS)) {
    futexWait(state.words, ACKS, seen, deadlineAfter(1));
  }
}

function startRound(events: Event[], state: SharedWords, round: number, payload: number): void {
  events[(round + 1) % 2].clear();
  state.words[PAYLOAD] = payload;
  events[round % 2].set();
}

const setter: StressRole<Signal> = {
  name: 'setter',
  acquire: ({ state }, op) => {
    awaitAcks(state, op, op.iteration);
    return true;
  },
  critical: ({ events, state }, op) => {
    op.hold();
    startRound(events, state, op.iteration, op.iteration);
  },
  release: () => {},
  finish: ({ events, state }, op) => {
    const rounds = op.iteration;
    awaitAcks(state, op, rounds);
    Atomics.store(state.words, DONE, rounds + 1);
    startRound(events, state, rounds, -1);
  },
};

const reader: StressRole<Signal> = {
  name: 'reader',
  stopsWithRun: false,
  acquire: ({ events, state }, op) => {
    events[op.iteration % 2].wait();
    return Atomics.load(state.words, DONE) !== op.iteration + 1;
  },
  critical: ({ events, state }, op) => {
    op.check(events[op.iteration % 2].isSet(), () => `round ${op.iteration}: wait() returned but the event is not set, and the setter cannot have cleared it yet`);
    const payload = state.words[PAYLOAD];
    op.check(payload === op.iteration, () => `round ${op.iteration}: after wait() the payload reads ${payload}, not what was written before set()`);
    op.hold();
  },
  release: ({ state }) => {
    Atomics.add(state.words, ACKS, 1);
    futexWake(state.words, ACKS);
  },
};

export default defineStressTarget<Signal>({
  name: 'event',
  summary: 'threading.Event: a setter signals rounds, readers wait and read what was written before set()',
  invariants: ['visibility: after wait() the flag is set and the payload written before set() is seen', 'no reader left waiting'],
  minWorkers: 2,
  setup: () => ({ events: [new Event(), new Event()], state: new SharedWords(4) }),
  role: (worker) => (worker === 0 ? setter : reader),
  finalCheck: ({ state }, run) => {
    const rounds = run.ops[0];
    const acks = state.words[ACKS];
    return acks === rounds * (run.params.workers - 1) ? undefined : `${acks} acknowledgements for ${rounds} rounds of ${run.params.workers - 1} readers`;
  },
  waitsOn: ({ state }, worker) => ({
    what: worker === 0 ? `the readers' acknowledgements (${Atomics.load(state.words, ACKS)} so far)` : 'the Event',
  }),
});
