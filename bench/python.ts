/*
 * `npm run bench:python`: what running a Python script on memplay costs, each
 * figure beside its contender measured in the same run (python3, when present):
 *   - interpreter start-up, from `--json` of a `--repeat`: fresh from the snapshot
 *     on a new worker thread, and reused (the interpreter a thread kept from its
 *     last process, reset: its reset counts in), told apart by `--json`'s
 *     `reused` flag, which the bench checks rather than assumes;
 *   - wall time of `memplay run scenarios/python/counter.py` (4 processes) against
 *     `python3` on the same file, whole commands, start-up included (every
 *     interpreter fresh); and each later run of a `--repeat` of it (`--json`'s
 *     wallMs: its interpreters reused);
 *   - shared-Value `v.value += 1` per second from Python (bench/python/value-ops.py).
 * Medians over --reps runs (min-max beside). A table, never a test.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseBenchArguments } from './lib/arguments.js';
import { probe, runCommand } from './lib/contender.js';
import { describeMachine, loadAverage } from './lib/machine.js';
import { spread, type Spread } from './lib/spread.js';
import { textTable } from '../src/text/table.js';

const ROOT = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../' : '../', import.meta.url));
const MEMPLAY = [process.execPath, `${ROOT}bin/memplay.js`, 'run'];
const COUNTER = `${ROOT}scenarios/python/counter.py`;
const HELLO = `${ROOT}bench/python/hello.py`;
const VALUE_OPS = `${ROOT}bench/python/value-ops.py`;
const LIMIT_MS = 300_000;

interface Row {
  readonly what: string;
  readonly memplay: Spread;
  readonly python3: Spread | string;
  readonly unit: string;
}

interface JsonRuns {
  readonly runs: { lastLine: string; wallMs: number; startup: { interpreterMs: Record<string, number>; reused: Record<string, boolean> } }[];
}

async function memplayJson(script: string, repeat: number): Promise<JsonRuns> {
  return JSON.parse(await runCommand([...MEMPLAY, script, '--repeat', String(repeat), '--json'], LIMIT_MS)) as JsonRuns;
}

/** Every process's interpreter start-up in `runs` whose `reused` flag is `reused`. */
function startupsWhere(runs: JsonRuns['runs'], reused: boolean): number[] {
  return runs.flatMap((run) => Object.entries(run.startup.interpreterMs).filter(([name]) => run.startup.reused[name] === reused).map(([, ms]) => ms));
}

async function wallMs(command: readonly string[]): Promise<number> {
  const started = performance.now();
  await runCommand(command, LIMIT_MS);
  return performance.now() - started;
}

async function main(): Promise<void> {
  const { reps, json } = parseBenchArguments('bench:python', process.argv.slice(2), 3);
  const python3 = await probe(['python3', '--version']);
  const load = [loadAverage()[0]];
  const startups = (await memplayJson(HELLO, reps + 1)).runs;
  const repeatedCounter = (await memplayJson(COUNTER, reps + 1)).runs.slice(1);
  const memplayWall: number[] = [];
  const pythonWall: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    memplayWall.push(await wallMs([...MEMPLAY, COUNTER]));
    if (python3.ok) pythonWall.push(await wallMs(['python3', COUNTER]));
  }
  const memplayOps = (await memplayJson(VALUE_OPS, reps)).runs.map((run) => Number(run.lastLine));
  const pythonOps: number[] = [];
  for (let rep = 0; rep < reps && python3.ok; rep++) pythonOps.push(Number(execFileSync('python3', [VALUE_OPS], { encoding: 'utf8' }).trim().split('\n').at(-1)));
  load.push(loadAverage()[0]);
  const none = python3.ok ? 'n/a' : `python3: ${python3.reason}`;
  const rows: Row[] = [
    { what: 'interpreter start-up, fresh on a new thread', memplay: spread(startupsWhere(startups, false)), python3: 'n/a', unit: 'ms' },
    { what: 'interpreter start-up, reused (reset included)', memplay: spread(startupsWhere([...startups, ...repeatedCounter], true)), python3: 'n/a', unit: 'ms' },
    { what: 'counter.py wall time (4 processes), fresh', memplay: spread(memplayWall), python3: python3.ok ? spread(pythonWall) : none, unit: 'ms' },
    { what: 'counter.py, later runs of a --repeat (reused)', memplay: spread(repeatedCounter.map((run) => run.wallMs)), python3: 'n/a', unit: 'ms' },
    { what: 'Value `v.value += 1` per second', memplay: spread(memplayOps), python3: python3.ok ? spread(pythonOps) : none, unit: 'ops/s' },
  ];
  if (json) {
    process.stdout.write(`${JSON.stringify({ machine: describeMachine(), loadAverage: load, rows }, null, 2)}\n`);
    return;
  }
  const cell = (figure: Spread | string): string => (typeof figure === 'string' ? figure : `${Math.round(figure.median)} (${Math.round(figure.min)}-${Math.round(figure.max)})`);
  process.stdout.write(`${textTable(['measurement', 'memplay (Pyodide)', 'python3', 'unit'], rows.map((row) => [row.what, cell(row.memplay), cell(row.python3), row.unit]), { left: [0, 3] })}\n`);
  process.stdout.write(`median (min-max) of ${reps} runs; load average ${load.map((figure) => figure.toFixed(1)).join(' -> ')} on ${describeMachine().cores} cores\n`);
}

await main();
