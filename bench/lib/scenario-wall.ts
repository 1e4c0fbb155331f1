/*
 * Wall time of `memplay run <scenario>` with the scenario's default parameters,
 * from process start to exit, as a user sees it, broken down into phases read
 * from the run's own debug log (pino lines on stderr, `time` in epoch ms, the
 * same clock as this process's Date.now()):
 *
 *   CLI start-up   spawn -> the first "run start" (Node, the CLI's modules, the scenario's module)
 *   worker start   the first "run start" -> the first run's last worker reporting its
 *                  first state (the pool's workers started, the task and scenario loaded)
 *   runs           that point -> the last "run stop" (every run of every variant)
 *   report         the last "run stop" -> exit (the report, the pool's shutdown, exit)
 *
 * A scenario that exits other than 0 or 1 (1 is a FORBIDDEN outcome) is a failed
 * measurement. Every child has a time limit.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../src/package-info.js';

export interface ScenarioWall {
  total: number;
  cliStart: number;
  workerStart: number;
  runs: number;
  report: number;
}

export const SCENARIO_PHASES = ['cliStart', 'workerStart', 'runs', 'report'] as const;

interface LogLine {
  time: number;
  msg: string;
  repeat?: number;
  variant?: string;
  worker?: number;
}

const MEMPLAY = join(packageRoot(), 'bin', 'memplay.js');

function runMemplay(args: string[], timeoutMs: number): Promise<{ stderr: string; start: number; end: number }> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    execFile(process.execPath, [MEMPLAY, ...args], { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 << 20 }, (error, _stdout, stderr) => {
      const end = Date.now();
      const code = (error as { code?: unknown } | null)?.code;
      if (error !== null && code !== 1) reject(new Error(`memplay ${args.join(' ')} failed: ${error.message.split('\n')[0]}`));
      else resolve({ stderr, start, end });
    });
  });
}

function logLines(stderr: string): LogLine[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine)
    .filter((line) => typeof line.time === 'number' && typeof line.msg === 'string');
}

/** The phases of one `memplay run <scenario>`, in seconds. */
export function phasesOf(lines: LogLine[], start: number, end: number): ScenarioWall {
  const starts = lines.filter((line) => line.msg === 'run start');
  const stops = lines.filter((line) => line.msg === 'run stop');
  if (starts.length === 0 || stops.length === 0) throw new Error('the run logged no "run start" / "run stop"');
  const first = starts[0];
  const firstStates = lines.filter((line) => line.msg === 'worker state' && line.variant === first.variant && line.repeat === first.repeat);
  const seen = new Map<number, number>();
  for (const line of firstStates) if (line.worker !== undefined && !seen.has(line.worker)) seen.set(line.worker, line.time);
  const workersUp = seen.size === 0 ? first.time : Math.max(...seen.values());
  const lastStop = stops.at(-1)!.time;
  const seconds = (ms: number) => Math.max(0, ms) / 1e3;
  return {
    total: seconds(end - start),
    cliStart: seconds(first.time - start),
    workerStart: seconds(workersUp - first.time),
    runs: seconds(lastStop - workersUp),
    report: seconds(end - lastStop),
  };
}

/** Runs `memplay run <scenario>` once with its defaults; its wall time and phases. */
export async function scenarioWall(scenario: string, timeoutMs = 120_000): Promise<ScenarioWall> {
  const { stderr, start, end } = await runMemplay(['--log-level', 'debug', 'run', scenario], timeoutMs);
  return phasesOf(logLines(stderr), start, end);
}
