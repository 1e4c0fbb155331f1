/*
 * Every number the command line takes has an upper bound (src/cli/limits.ts), the
 * same rule in every command: past it, one line on stderr and exit 2, before any
 * thread starts.
 */
import { describe, expect, it } from 'vitest';
import { expectUsageError, memplay, memplayAsync } from '../helpers/cli.js';

const WORKERS = /from 1 to 64 \(each worker is a thread/;
const COUNT = /to 1000000000 \(counts live in 32-bit words/;
const SECONDS = /at most 86400 seconds/;
const SEED = /from 0 to 4294967295 \(the random streams are seeded with 32 bits\)/;

describe('upper bounds of the command line', () => {
  // Each is refused before any thread starts: short, independent runs, so they run at once.
  it.concurrent.each([
    [['gil', '--workers', '100000'], WORKERS],
    [['run', 'lost-update', '--workers', '65'], WORKERS],
    [['stress', 'lock', '--workers', '65'], WORKERS],
    [['run', 'lost-update', '--iterations', '1000000001'], COUNT],
    [['run', 'lost-update', '--repeat', '10001'], /from 1 to 10000 \(each repeat is a whole run/],
    [['run', 'lost-update', '--seed', '4294967296'], SEED],
    [['stress', 'lock', '--seed', '4294967296'], SEED],
    [['run', 'lost-update', '--timeout', '86401'], SECONDS],
    [['stress', 'lock', '--timeout', '1e9'], SECONDS],
    [['stress', 'lock', '--duration', '86401'], SECONDS],
    [['stress', 'lock', '--ops', '1000000001'], COUNT],
    [['stress', 'lock', '--hold', '1000001'], /from 0 to 1000000 \(one second inside each critical section\)/],
    [['stress', 'barrier', '--workers', '32'], /stress target 'barrier' takes at most 31 workers, got 32/],
    [['gil', '--work', '1000000001'], COUNT],
    [['gil', '--round-trips', '20001'], /from 0 to 20000 \(beside a CPU-bound thread each round trip waits/],
    [['run', 'lost-update', '--repeat', '1e1'], /expected a whole number >= 1, got '1e1'/],
    [['run', 'lost-update', '--workers', '0x4'], /expected a whole number >= 1, got '0x4'/],
    // A number too big for a double is past the limit, and said so.
    [['run', 'lost-update', '--workers', '99999999999999999999'], WORKERS],
    [['sim', 'list-growth', '99999999999999999999'], /from 1 to 1000000 \(the model grows the list one append at a time\)/],
    [['sim', 'dict-growth', '5001'], /from 1 to 5000 \(the model's dicts and sets scan their entries/],
    [['gil', '--switch-interval', '90000'], SECONDS],
    [['sim', 'fragmentation', '--keep-every', '1000000001'], COUNT],
  ])('%j is refused in one line, exit 2', async (args, message) => {
    expect(expectUsageError(await memplayAsync(args))).toMatch(message);
  });

  it('each command\'s help states its limits', () => {
    expect(memplay(['run', '--help']).stdout).toMatch(/--workers <n>\s+worker threads per run, 1-64/);
    expect(memplay(['stress', '--help']).stdout).toMatch(/--workers <n>\s+worker threads, 1-64/);
    expect(memplay(['gil', '--help']).stdout).toMatch(/--workers <n>\s+threads or processes in the parallel\s+modes, 1-64/);
  });
});
