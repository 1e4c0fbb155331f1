/*
 * The bench scripts' command lines (bench/lib/arguments.ts, node:util's parseArgs):
 * the compiled scripts refuse a bad argument with one line and exit code 2 before
 * measuring anything.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBenchArguments } from '../../bench/lib/arguments.js';
import { projectRoot } from '../helpers/import-graph.js';

const REFUSED: [string, string[], RegExp][] = [
  ['sync.js', ['--reps', '0'], /^bench:sync: --reps takes a whole number of at least 1, not '0' \(usage: \[--reps N\] \[--json\]\)$/],
  ['sync.js', ['--bogus'], /^bench:sync: Unknown option '--bogus'/],
  ['pymem.js', ['extra'], /^bench:pymem: Unexpected argument 'extra'/],
  ['gil.js', ['--workloads', 'cpu,gpu'], /^bench:gil: --workloads takes a comma-separated list of cpu, io, mixed, not 'cpu,gpu'/],
  ['report.js', ['--reps', '0'], /^bench:report: --reps takes a whole number of at least 1, not '0' \(usage: \[--reps N\] \[--json\]\)$/],
  ['python.js', ['--reps', '0'], /^bench:python: --reps takes a whole number of at least 1, not '0' \(usage: \[--reps N\] \[--json\]\)$/],
  ['all.js', ['--reps', '1000'], /^bench: --reps takes a whole number from 1 to 999, not '1000'/],
  ['all.js', ['--out'], /^bench: Option '--out <value>' argument missing/],
  ['pinned-pong.js', ['spin', '10'], /^pinned-pong.js: the kind is one of futex, condition, semaphore, not 'spin'/],
  ['pinned-pong.js', ['futex'], /^pinned-pong.js: expected a kind and a number of rounds, got 1 arguments/],
];

describe('bench command lines', () => {
  for (const [script, args, message] of REFUSED) {
    it(`${script} ${args.join(' ')}: one line on stderr, exit code 2`, () => {
      const result = spawnSync(process.execPath, [join(projectRoot, 'dist', 'bench', script), ...args], { encoding: 'utf8', timeout: 30_000 });
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr.trimEnd()).toMatch(message);
    });
  }

  it('reads --reps N, --reps=N and --json', () => {
    expect(parseBenchArguments('bench:x', [], 11)).toEqual({ reps: 11, json: false });
    expect(parseBenchArguments('bench:x', ['--reps', '3', '--json'], 11)).toEqual({ reps: 3, json: true });
    expect(parseBenchArguments('bench:x', ['--reps=5'], 11)).toEqual({ reps: 5, json: false });
  });
});
