/*
 * multiprocessing.shared_memory and mmap in `memplay run script.py`, end to end
 * through the built CLI: real workers, one Pyodide interpreter per process, real
 * shared memory and real files. The racy counter is repeated a bounded number of
 * times; every run is bounded by the CLI helper's timeout.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { expectUsageError, memplay } from '../helpers/cli.js';

const script = (name: string): string => fileURLToPath(new URL(`./scripts/${name}.py`, import.meta.url));
const SLOW = 240_000;

interface JsonRuns {
  readonly outcomes: { outcome: string; count: number }[];
  readonly runs: { exitCode: number; lastLine: string }[];
}

/** What python3 (CPython 3.11) prints for scripts/shm-api.py. */
const SHM_API_OUTPUT = `True 12 16 16
b'abcd' 98 True [99, 100] 255
-7 f9ffffff
child attached: 16 b'abcd'
parent sees: b'kid!'
child got the block by name: b'abcdkid!'
ValueError: memoryview assignment: lvalue and rvalue have different structures
ValueError: memoryview: invalid value for format 'B'
IndexError: index out of bounds on dimension 1
SharedMemory('memplay_test_block', size=8)
FileExistsError: [Errno 17] File exists: '/memplay_test_block'
FileNotFoundError: [Errno 2] No such file or directory: '/memplay_no_such_block'
ValueError: 'size' must be a positive number different from zero
ValueError: 'size' must be a positive integer
ValueError: 'name' can only be None if create=True
FileNotFoundError: [Errno 2] No such file or directory: '/memplay_test_block'
FileNotFoundError: [Errno 2] No such file or directory: '/memplay_test_block'
BufferError: cannot close exported pointers exist None
ValueError: operation forbidden on released memoryview object
`;

/** What python3 (CPython 3.11) prints for scripts/mmap-api.py. */
const MMAP_API_OUTPUT = String.raw`21 21 41 10 b'alpha' b'apabt' (41,)
b'alpha\n' 10 b'beta' 10 16 4 19 -1
b'*\x00\x00\x00Alpha\nAlphag' [b'A', b'l']
ValueError: read byte out of range ValueError: write byte out of range ValueError: data out of range
ValueError: seek out of range TypeError: mmap indices must be integers IndexError: mmap slice assignment is wrong size
ValueError: mmap length is greater than file size ValueError: mmap can't specify both access and flags, prot.
True ValueError: mmap closed or invalid ValueError: mmap closed or invalid
b'*\x00\x00\x00Alpha\nAlphag'
TypeError: mmap can't modify a readonly memory map. b'Alpha'
b'COPY!'
8 b'*\x00\x00\x00Alph'
b'Alpha'
`;

describe('multiprocessing.shared_memory.SharedMemory', () => {
  it('loses updates to a counter in a block two processes attach by name within 3 runs, and never under a Lock', () => {
    const racy = JSON.parse(memplay(['run', script('shm-counter'), '--repeat', '3', '--json'], SLOW).stdout) as JsonRuns;
    expect(racy.runs.every((run) => run.exitCode === 0)).toBe(true);
    expect(racy.runs.some((run) => Number(run.lastLine) < 6000)).toBe(true);
    const fixed = JSON.parse(memplay(['run', script('shm-counter'), 'fixed', '--repeat', '2', '--json'], SLOW).stdout) as JsonRuns;
    expect(fixed.outcomes).toEqual([{ outcome: '6000', count: 2 }]);
  }, 2 * SLOW);

  it("attaches by name and by pickle in another process, with buf's operations and CPython's errors", () => {
    const result = memplay(['run', script('shm-api')], SLOW);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(SHM_API_OUTPUT);
    expect(result.status).toBe(0);
  }, SLOW);

  it('unlinks at the end of a run the names it left, so the next run of a --repeat creates them again', () => {
    const result = JSON.parse(memplay(['run', script('shm-leak'), '--repeat', '2', '--json'], SLOW).stdout) as JsonRuns;
    expect(result.outcomes).toEqual([{ outcome: 'created', count: 2 }]);
  }, SLOW);

  it('refuses ShareableList by name in one line (exit 2)', () => {
    expect(expectUsageError(memplay(['run', script('shareable-list')], SLOW))).toMatch(/^memplay: multiprocessing\.shared_memory\.ShareableList is not supported by memplay yet/);
  }, SLOW);
});

describe('mmap.mmap of a real file', () => {
  const folder = mkdtempSync(join(tmpdir(), 'memplay-mmap-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("is shared by two processes mapping the same file (every locked addition counts), and the file holds their writes afterwards", () => {
    const result = memplay(['run', script('mmap-shared'), 'data.bin'], SLOW, { cwd: folder });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 2).sort()).toEqual(["process 0 sees b'P0!!P1!!'", "process 1 sees b'P0!!P1!!'"]);
    expect(lines.slice(2)).toEqual(["1000 b'P0!!P1!!'", "b'first line\\n' 27 27 b'second' 39 39"]);
    const file = readFileSync(join(folder, 'data.bin'));
    expect(file.readInt32LE(0)).toBe(1000);
    expect(file.subarray(8).toString('latin1')).toBe('P0!!P1!!first line\nsecond line\n');
  }, SLOW);

  it("has the file interface, items, slices, the buffer protocol, ACCESS_READ and ACCESS_COPY, with CPython's errors", () => {
    const result = memplay(['run', script('mmap-api')], SLOW, { cwd: folder });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(MMAP_API_OUTPUT);
    expect(result.status).toBe(0);
  }, SLOW);

  it('refuses an offset by name in one line (exit 2)', () => {
    expect(expectUsageError(memplay(['run', script('mmap-offset')], SLOW))).toMatch(/^memplay: mmap\.mmap with an offset is not supported by memplay yet/);
  }, SLOW);
});
