/*
 * A user's primitive under `memplay stress`: a reader-writer lock built from
 * memplay's pieces, with its invariants.
 *
 *   memplay stress examples/reader-writer-lock.ts --workers 4 --duration 2 --hold 20
 *
 * The lock (what a Python user writes with threading.Condition): a Condition over
 * a Lock guards two counts in shared memory, readers inside and writer inside.
 *   read:   wait until no writer is inside, then readers += 1; leave: readers -= 1,
 *           and the last reader out wakes the waiters;
 *   write:  wait until nobody is inside, then writer = 1; leave: writer = 0, wake all.
 * Its state is a plain object of shared objects, so it travels to the workers as
 * it is (the runner turns each shared object into its handle and back).
 *
 * The invariants, checked while it is hammered: a writer is alone (no reader, no
 * other writer inside); a reader never overlaps a writer; and a reader never sees
 * a torn record (the writer writes two words with a hold between them).
 * Worker 0 of every 4 writes, the others read.
 *
 * `import ... from 'memplay'` works wherever this file is: memplay resolves it to itself.
 * `--fairness 0.8` fails the run: the readers starve the writer (Jain's index ~0.75).
 */
import { Condition, Lock, SharedWords, defineStressTarget, type OpContext, type StressRole } from 'memplay';

// The primitive ---------------------------------------------------------------

const READERS = 0;
const WRITER = 1;

export interface ReaderWriterLock {
  readonly changed: Condition;
  readonly counts: SharedWords;
}

export function readerWriterLock(): ReaderWriterLock {
  return { changed: new Condition(new Lock()), counts: new SharedWords(2) };
}

export function acquireRead({ changed, counts }: ReaderWriterLock): void {
  using _ = changed.hold();
  changed.waitFor(() => counts.words[WRITER] === 0);
  counts.words[READERS] += 1;
}

export function releaseRead({ changed, counts }: ReaderWriterLock): void {
  using _ = changed.hold();
  counts.words[READERS] -= 1;
  if (counts.words[READERS] === 0) changed.notifyAll();
}

export function acquireWrite({ changed, counts }: ReaderWriterLock): void {
  using _ = changed.hold();
  changed.waitFor(() => counts.words[WRITER] === 0 && counts.words[READERS] === 0);
  counts.words[WRITER] = 1;
}

export function releaseWrite({ changed, counts }: ReaderWriterLock): void {
  using _ = changed.hold();
  counts.words[WRITER] = 0;
  changed.notifyAll();
}

// The stress target -----------------------------------------------------------

const READERS_INSIDE = 0;
const WRITERS_INSIDE = 1;
const FIRST_HALF = 2;
const SECOND_HALF = 3;

interface Shared {
  rw: ReaderWriterLock;
  /** Gauges and the two-word record the writers write. */
  state: SharedWords;
}

const writer: StressRole<Shared> = {
  name: 'writer',
  acquire: ({ rw }) => (acquireWrite(rw), true),
  critical: ({ state }, op) => {
    const words = state.words;
    const writers = Atomics.add(words, WRITERS_INSIDE, 1) + 1;
    const readers = Atomics.load(words, READERS_INSIDE);
    op.check(writers === 1 && readers === 0, () => `a writer is not alone: ${writers} writers and ${readers} readers inside`);
    const record = op.worker * 1_000_000 + op.iteration;
    words[FIRST_HALF] = record;
    op.hold();
    words[SECOND_HALF] = record;
    Atomics.sub(words, WRITERS_INSIDE, 1);
  },
  release: ({ rw }) => releaseWrite(rw),
};

const reader: StressRole<Shared> = {
  name: 'reader',
  acquire: ({ rw }) => (acquireRead(rw), true),
  critical: ({ state }, op: OpContext) => {
    const words = state.words;
    Atomics.add(words, READERS_INSIDE, 1);
    const writers = Atomics.load(words, WRITERS_INSIDE);
    op.check(writers === 0, () => `a reader overlaps ${writers} writer(s)`);
    const first = words[FIRST_HALF];
    op.hold();
    const second = words[SECOND_HALF];
    op.check(first === second, () => `torn read: the record's halves are ${first} and ${second}`);
    Atomics.sub(words, READERS_INSIDE, 1);
  },
  release: ({ rw }) => releaseRead(rw),
};

export default defineStressTarget<Shared>({
  name: 'reader-writer-lock',
  summary: 'a reader-writer lock made of a Condition and two counts: 1 writer in 4 workers',
  invariants: ['a writer is alone', 'readers never overlap a writer', 'no torn read of the two-word record'],
  setup: () => ({ rw: readerWriterLock(), state: new SharedWords(4) }),
  role: (worker) => (worker % 4 === 0 ? writer : reader),
  waitsOn: ({ rw }) => ({
    what: `the reader-writer lock (${rw.counts.words[READERS]} readers, ${rw.counts.words[WRITER]} writer inside)`,
    ownerThreadId: rw.changed.lock.ownerThreadId,
  }),
});
