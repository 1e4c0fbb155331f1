/*
 * memplay's ping-pong as a contender process, so that `npm run bench` can run it
 * under `taskset -c 0` (both worker threads, and every other thread of this Node
 * process, on CPU 0), as it runs the C and CPython ping-pongs. The unpinned
 * figures come from the same script run without taskset.
 *
 * Two workers of a pool hand a turn back and forth (bench/lib/worker-pair.ts):
 * a warm-up run of at least 40,000 rounds, then the measured run. The warm-up
 * matters most when pinned: V8's compiler threads share CPU 0 with the players,
 * and on this machine 5,000 cold rounds measure the JIT (50 us a round trip), 20,000
 * after a like warm-up still 19 us, rather than the hand-off (16 us). Prints one
 * JSON line as the other contenders do:
 *
 *   {"measurement":"condition-pong","unit":"us/round-trip","value":7.3}
 *
 * Usage: node dist/bench/pinned-pong.js futex|condition|semaphore ROUNDS
 */
import { pathToFileURL } from 'node:url';
import { WorkerPool } from '../src/harness/worker-pool.js';
import { oneOf, parseCommandLine, positiveInteger, refuse } from './lib/arguments.js';
import { pong, PONG_KINDS, type PongKind } from './lib/worker-pair.js';

const WARM_UP_ROUNDS = 40_000;

const COMMAND_LINE = { script: 'pinned-pong.js', usage: `pinned-pong.js ${PONG_KINDS.join('|')} ROUNDS`, options: {}, allowPositionals: true } as const;

function parseArguments(argv: string[]): { kind: PongKind; rounds: number } {
  const { positionals } = parseCommandLine(COMMAND_LINE, argv);
  if (positionals.length !== 2) refuse(COMMAND_LINE, `expected a kind and a number of rounds, got ${positionals.length} arguments`);
  const [kind, rounds] = positionals as [string, string];
  return { kind: oneOf(COMMAND_LINE, 'the kind', kind, PONG_KINDS), rounds: positiveInteger(COMMAND_LINE, 'ROUNDS', rounds, 999_999_999) };
}

async function main(): Promise<void> {
  const options = parseArguments(process.argv.slice(2));
  const pool = new WorkerPool({ threads: 2 });
  try {
    await pong(pool, options.kind, Math.max(options.rounds, WARM_UP_ROUNDS));
    const nsPerRoundTrip = await pong(pool, options.kind, options.rounds);
    const value = Math.round(nsPerRoundTrip) / 1e3;
    process.stdout.write(`${JSON.stringify({ measurement: `${options.kind}-pong`, unit: 'us/round-trip', value })}\n`);
  } finally {
    await pool.destroy();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
