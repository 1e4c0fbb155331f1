/*
 * Scenario torn-read: a two-field record (x, y) that the writer keeps equal. A
 * reader that reads x and then y while the writer is between its two stores sees
 * a record that never existed. Fixed with a seqlock (readers retry when a write
 * overlapped their read; the writer never waits) and with a plain lock.
 *
 * Run length: the writer writes at most `iterations` times, but a run ends as soon
 * as every reader has seen the record change SIGHTINGS times (each change is a read
 * made while the writer was writing, the only reads that can tear), so a run lasts
 * as long as the two sides take to overlap. A reader done early says so on
 * `readersDone` (a Semaphore used as a counter), which the writer checks every
 * CHECK_EVERY writes. Two workers by default, one writer and one reader: on two
 * cores both run at once (a third thread made one of the three wait for a core).
 */
import { type Classification, defineScenario, Event, type Judgement, Lock, type OutcomeSpec, RawSharedArray, Semaphore, Value } from '../src/scenario.js';

const X = 0;
const Y = 1;
/** Changes of the record a reader sees before it stops: about half of them tear in the racy variant. */
const SIGHTINGS = 2_000;
/** The writer looks at readersDone once every this many writes. */
const CHECK_EVERY = 256;

interface ReaderTally {
  reads: number;
  torn: number;
  example?: [number, number];
}

const outcomes = (torn: Classification): OutcomeSpec[] => [
  { key: 'consistent', expect: 'ACCEPTABLE', description: 'every read saw x == y' },
  { key: 'torn', expect: torn, description: 'a reader saw x != y: half of one write and half of another' },
];

type Shared = ReturnType<typeof setup>;

function setup() {
  return { record: RawSharedArray('i', 2), sequence: Value('i', 0), lock: new Lock(), writerDone: new Event(), readersDone: new Semaphore(0) };
}

/**
 * The writer's loop (worker 0): stores k into x, then into y, for k = 1..iterations,
 * each store wrapped by `around`; it stops early once all `readers` are done.
 */
function write(shared: Shared, iterations: number, readers: number, around: (store: () => void) => void): null {
  for (let k = 1; k <= iterations; k++) {
    around(() => {
      shared.record.set(X, k);
      shared.record.set(Y, k);
    });
    if (k % CHECK_EVERY === 0 && shared.readersDone.value >= readers) break;
  }
  shared.writerDone.set();
  return null;
}

/**
 * A reader's loop: reads (x, y) with `readPair` until the writer is done or the
 * record has changed SIGHTINGS times under it; counts the torn pairs.
 */
function read(shared: Shared, readPair: () => [number, number]): ReaderTally {
  const tally: ReaderTally = { reads: 0, torn: 0 };
  let [previous, sightings] = [0, 0];
  do {
    const [x, y] = readPair();
    tally.reads++;
    if (x !== y) {
      tally.torn++;
      tally.example ??= [x, y];
    }
    if (x !== previous) [previous, sightings] = [x, sightings + 1];
  } while (sightings < SIGHTINGS && !shared.writerDone.isSet());
  shared.readersDone.release();
  return tally;
}

const bare = (shared: Shared): [number, number] => [shared.record.get(X), shared.record.get(Y)];

export default defineScenario({
  name: 'torn-read',
  summary: 'a reader sees a two-field record half written (x != y)',
  explain:
    'Worker 0 writes a record of two fields, x and y, always setting both to the same k; the others read it. ' +
    'Without synchronisation a reader can read x after one write and y after the next (or in between the two ' +
    'stores), and sees x != y: a torn read of a record that never existed. A seqlock fixes it without ever ' +
    'blocking the writer: the writer bumps a sequence number to odd before writing and to even after; a reader ' +
    'retries when the number was odd or changed under it. A Lock held by both sides fixes it too. Python:\n' +
    '    rec = multiprocessing.RawArray("i", 2)\n' +
    '    rec[0] = k; rec[1] = k               # writer\n' +
    '    x, y = rec[0], rec[1]                # reader: may see x != y',
  params: { workers: 2, iterations: 500_000, repeat: 3, timeout: 10 },
  minWorkers: 2,
  setup,
  judge: ({ results }): Judgement => {
    const readers = (results as (ReaderTally | null)[]).filter((tally): tally is ReaderTally => tally !== null);
    const reads = readers.reduce((sum, tally) => sum + tally.reads, 0);
    const torn = readers.reduce((sum, tally) => sum + tally.torn, 0);
    const example = readers.find((tally) => tally.example !== undefined)?.example;
    return {
      outcome: torn === 0 ? 'consistent' : 'torn',
      observed: `${torn} torn of ${reads} read${reads === 1 ? '' : 's'}${example ? ` (e.g. x=${example[0]}, y=${example[1]})` : ''}`,
      expected: 'x == y in every read',
    };
  },
  variants: {
    racy: {
      summary: 'plain stores and loads of x and y',
      python: 'rec[0] = k; rec[1] = k          # writer\nx, y = rec[0], rec[1]           # reader',
      worker: (shared, { index, workers, params }) =>
        index === 0 ? write(shared, params.iterations, workers - 1, (store) => store()) : read(shared, () => bare(shared)),
      outcomes: outcomes('INTERESTING'),
    },
    fixed: {
      summary: 'a seqlock: readers retry when a write overlapped',
      python:
        'seq.value += 1; rec[0] = k; rec[1] = k; seq.value += 1    # writer (seq odd while writing)\n' +
        'while True:                                              # reader\n' +
        '    s = seq.value\n' +
        '    x, y = rec[0], rec[1]\n' +
        '    if s % 2 == 0 and seq.value == s: break',
      worker: (shared, { index, workers, params }) => {
        const { sequence } = shared;
        if (index === 0) {
          return write(shared, params.iterations, workers - 1, (store) => {
            sequence.value = sequence.value + 1;
            store();
            sequence.value = sequence.value + 1;
          });
        }
        return read(shared, () => {
          for (;;) {
            const before = sequence.value;
            const pair = bare(shared);
            if (before % 2 === 0 && sequence.value === before) return pair;
          }
        });
      },
      outcomes: outcomes('FORBIDDEN'),
    },
    'fixed-lock': {
      summary: 'writer and readers hold one Lock',
      python: 'with lock: rec[0] = k; rec[1] = k      # writer\nwith lock: x, y = rec[0], rec[1]      # reader',
      worker: (shared, { index, workers, params }) => {
        const { lock } = shared;
        const locked = <T>(action: () => T): T => {
          lock.acquire();
          try {
            return action();
          } finally {
            lock.release();
          }
        };
        return index === 0 ? write(shared, params.iterations, workers - 1, locked) : read(shared, () => locked(() => bare(shared)));
      },
      outcomes: outcomes('FORBIDDEN'),
    },
  },
});
