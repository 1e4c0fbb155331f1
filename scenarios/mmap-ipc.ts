/*
 * Scenario mmap-ipc: two workers talk through a memory-mapped file, as two Python
 * processes do with mmap.mmap over one file. Worker 0 keeps writing numbered
 * messages into the mapping; the others keep reading them from their own
 * mappings of the same file. Without a lock a reader copies a message while it
 * is being written and sees a mix of two messages. Fixed with a Lock around each
 * write and read, and a flush() after each write so the file itself holds whole
 * messages too (for a reader that uses read() on the file instead of a mapping).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Classification, defineScenario, Event, type Judgement, Lock, type MemoryMap, mmap, type OutcomeSpec } from '../src/scenario.js';

/** One message fills the file: a 4-byte sequence number, then the payload, every byte of it equal to seq % 256. */
const MESSAGE_BYTES = 4096;

function message(seq: number): Uint8Array {
  const bytes = new Uint8Array(MESSAGE_BYTES).fill(seq % 256);
  new DataView(bytes.buffer).setUint32(0, seq, true);
  return bytes;
}

/** The payload is written in records of this many bytes, one write each. */
const RECORD_BYTES = 1023;

/** Puts one message into the mapping as Python code would: mm.seek(0); mm.write(header); then mm.write(record) for each record. */
function send(map: MemoryMap, bytes: Uint8Array): void {
  map.seek(0);
  map.write(bytes.subarray(0, 4));
  for (let start = 4; start < bytes.length; start += RECORD_BYTES) map.write(bytes.subarray(start, start + RECORD_BYTES));
}

/** Whether `bytes` is one whole message (or the zeroed file before the first one). */
function whole(bytes: Uint8Array): boolean {
  const seq = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  for (let i = 4; i < bytes.length; i++) if (bytes[i] !== seq % 256) return false;
  return true;
}

interface Tally {
  reads: number;
  torn: number;
}

type Shared = { file: string; folder: string; lock: Lock; writerDone: Event };

/** Worker 0 writes messages 1..iterations; `send` puts one into the mapping. */
function writer(shared: Shared, iterations: number, send: (map: MemoryMap, bytes: Uint8Array) => void): null {
  const map = mmap(shared.file, MESSAGE_BYTES, { access: 'write' });
  try {
    for (let seq = 1; seq <= iterations; seq++) send(map, message(seq));
  } finally {
    shared.writerDone.set();
    map.close();
  }
  return null;
}

/** A reader copies the message out with `receive` until the writer is done, counting the torn ones. */
function reader(shared: Shared, receive: (map: MemoryMap) => Uint8Array): Tally {
  const map = mmap(shared.file, MESSAGE_BYTES, { access: 'read' });
  const tally: Tally = { reads: 0, torn: 0 };
  try {
    do {
      tally.reads++;
      if (!whole(receive(map))) tally.torn++;
    } while (!shared.writerDone.isSet());
  } finally {
    map.close();
  }
  return tally;
}

const outcomes = (torn: Classification): OutcomeSpec[] => [
  { key: 'whole-messages', expect: 'ACCEPTABLE', description: 'every message read was whole' },
  { key: 'partial-message', expect: torn, description: 'a reader copied a message while it was being written' },
];

export default defineScenario({
  name: 'mmap-ipc',
  summary: 'workers talk through an mmap\'d file: without a lock the reader sees partial messages',
  explain:
    'Worker 0 writes numbered 4 KiB messages into a memory-mapped file; the other workers map the same file ' +
    'and read the messages, as two Python processes sharing one mmap. The mapping is shared memory: a reader ' +
    'sees each byte as soon as it is written, so a reader that copies the message while the writer is half way ' +
    'through gets the start of one message and the end of another. The fix holds a Lock (a ' +
    'multiprocessing.Lock) around each write and each read, and flushes after each write, so that the file on ' +
    'disk holds whole messages too for anyone reading it with read(). Python:\n' +
    '    mm = mmap.mmap(f.fileno(), 4096)\n' +
    '    mm.seek(0); mm.write(header); mm.write(records)    # writer\n' +
    '    data = mm[0:4096]                                  # reader: may be half old, half new',
  params: { workers: 2, iterations: 10_000, repeat: 4, timeout: 10 },
  minWorkers: 2,
  maxWorkers: 8,
  setup: (): Shared => {
    const folder = mkdtempSync(join(tmpdir(), 'memplay-mmap-'));
    const file = join(folder, 'messages.bin');
    writeFileSync(file, new Uint8Array(MESSAGE_BYTES));
    return { file, folder, lock: new Lock(), writerDone: new Event() };
  },
  teardown: (shared) => rmSync(shared.folder, { recursive: true, force: true }),
  judge: ({ shared, results, params }): Judgement => {
    const tallies = (results as (Tally | null)[]).filter((tally): tally is Tally => tally !== null);
    const reads = tallies.reduce((sum, tally) => sum + tally.reads, 0);
    const torn = tallies.reduce((sum, tally) => sum + tally.torn, 0);
    const onDisk = new Uint8Array(readFileSync(shared.file));
    const last = new DataView(onDisk.buffer, onDisk.byteOffset).getUint32(0, true);
    const file = whole(onDisk) && last === params.iterations ? 'the file holds the last message' : 'the file does NOT hold the last message';
    return {
      outcome: torn > 0 ? 'partial-message' : file.includes('NOT') ? 'file-stale' : 'whole-messages',
      observed: `${torn} partial of ${reads} messages read; ${file}`,
      expected: `no partial message; the file holds message ${params.iterations}`,
    };
  },
  variants: {
    racy: {
      summary: 'the writer writes the header, then the records; the readers copy the message out; no lock',
      python: 'mm.seek(0); mm.write(header); mm.write(records)    # writer\ndata = mm[0:4096]                                  # reader',
      worker: (shared, { index, params }) =>
        index === 0 ? writer(shared, params.iterations, send) : reader(shared, (map) => map.slice(0, MESSAGE_BYTES)),
      outcomes: outcomes('INTERESTING'),
      // The window is a few instructions wide; more messages give it more chances. The fix flushes each one, so it keeps fewer.
      params: { iterations: 30_000 },
    },
    fixed: {
      summary: 'a Lock around each write (with flush) and each read',
      python: 'with lock:                         # writer\n    mm.seek(0); mm.write(header); mm.write(records)\n    mm.flush()\nwith lock:                         # reader\n    data = mm[0:4096]',
      worker: (shared, { index, params }) => {
        const { lock } = shared;
        if (index === 0) {
          return writer(shared, params.iterations, (map, bytes) => {
            lock.acquire();
            send(map, bytes);
            map.flush();
            lock.release();
          });
        }
        return reader(shared, (map) => {
          lock.acquire();
          try {
            return map.slice(0, MESSAGE_BYTES);
          } finally {
            lock.release();
          }
        });
      },
      outcomes: outcomes('FORBIDDEN'),
    },
  },
});
