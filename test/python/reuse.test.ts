/*
 * Interpreters kept between processes (src/python/kept-interpreter.ts and
 * shim/_memplay_reset.py), through the built CLI: a crew thread runs its next
 * process on the interpreter its last one left, reset to its fresh state. Each
 * script runs in a temporary folder of its own (it writes files there, and a
 * helper module next to it is importable from the working directory). Start-up
 * times are not asserted, only --json's `reused` flags.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { memplay } from '../helpers/cli.js';

const SCRIPTS = fileURLToPath(new URL('./scripts/reuse/', import.meta.url));
const SLOW = 240_000;

interface JsonRuns {
  readonly runs: { exitCode: number; lastLine: string; startup: { interpreterMs: Record<string, number>; reused: Record<string, boolean> } }[];
}

const folders: string[] = [];

/** A new temporary folder holding copies of the named scripts of scripts/reuse/. */
function folderWith(...names: string[]): string {
  const folder = mkdtempSync(join(tmpdir(), 'memplay-reuse-'));
  folders.push(folder);
  for (const name of names) copyFileSync(join(SCRIPTS, name), join(folder, name));
  return folder;
}

/** `memplay run <script> <args> --repeat <repeat> --json` in `folder`, its JSON report. */
function repeatedRuns(folder: string, script: string, args: string[], repeat: number): JsonRuns {
  const result = memplay(['run', script, ...args, '--repeat', String(repeat), '--json'], SLOW, { cwd: folder });
  expect(result.status, result.stderr).not.toBeNull();
  const report = JSON.parse(result.stdout) as JsonRuns;
  expect(report.runs).toHaveLength(repeat);
  for (const run of report.runs) expect(Object.keys(run.startup.reused).sort()).toEqual(Object.keys(run.startup.interpreterMs).sort());
  return report;
}

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('memplay run: interpreters kept between processes', () => {
  it("a --repeat run sees nothing an earlier run left behind (its output is a single fresh run's), and each process draws its own random numbers", () => {
    const folder = folderWith('leaves-state.py', 'reuse_helper.py');
    const fresh = memplay(['run', 'leaves-state.py', 'fresh-draws.txt'], SLOW, { cwd: folder });
    expect(fresh.stderr).toBe('');
    expect(fresh.status).toBe(0);
    const report = repeatedRuns(folder, 'leaves-state.py', ['draws.txt'], 3);
    expect(report.runs.map((run) => run.exitCode)).toEqual([0, 0, 0]);
    expect(report.runs.map((run) => `${run.lastLine}\n`)).toEqual([fresh.stdout, fresh.stdout, fresh.stdout]);
    expect(report.runs.map((run) => run.startup.reused)).toEqual([
      { MainProcess: false, 'Process-1': false },
      { MainProcess: true, 'Process-1': true },
      { MainProcess: true, 'Process-1': true },
    ]);
    const draws = ['fresh-draws.txt', 'draws.txt'].flatMap((file) => readFileSync(join(folder, file), 'utf8').trim().split('\n').map((line) => line.split(' ')[1]));
    expect(draws).toHaveLength(8);
    expect(new Set(draws).size).toBe(8);
  }, 2 * SLOW);

  it('a thread whose process raised runs the next one, clean, on the same interpreter', () => {
    const folder = folderWith('raises-once.py');
    const result = memplay(['run', 'raises-once.py', 'marker', '--repeat', '2', '--json'], SLOW, { cwd: folder });
    expect(result.stderr).toMatch(/ValueError: first run\n$/);
    const report = JSON.parse(result.stdout) as JsonRuns;
    expect(report.runs.map((run) => run.lastLine)).toEqual(['child exitcode 1, total 0', 'child exitcode 0, total 1']);
    expect(report.runs.map((run) => run.startup.reused)).toEqual([
      { MainProcess: false, 'Process-1': false },
      { MainProcess: true, 'Process-1': true },
    ]);
  }, SLOW);

  it("a terminated process's interpreter is thrown away with its thread: the next process on that seat starts fresh", () => {
    const folder = folderWith('terminated.py');
    const report = repeatedRuns(folder, 'terminated.py', ['marker'], 2);
    expect(report.runs.map((run) => run.lastLine)).toEqual(['child exitcode -15', 'child exitcode 0']);
    expect(report.runs.map((run) => run.startup.reused)).toEqual([{ MainProcess: false }, { MainProcess: true, 'Process-1': false }]);
  }, SLOW);

  it('an interpreter its process changed beyond what a reset undoes (an audit hook added) is not kept', () => {
    const report = repeatedRuns(folderWith('audit-hook.py'), 'audit-hook.py', [], 2);
    expect(report.runs.map((run) => run.lastLine)).toEqual(['hooked', 'hooked']);
    expect(report.runs.map((run) => run.startup.reused)).toEqual([{ MainProcess: false }, { MainProcess: false }]);
  }, SLOW);
});
