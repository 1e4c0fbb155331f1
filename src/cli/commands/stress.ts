/*
 * `memplay stress <target|all|./file.ts>`: hammers a synchronization primitive
 * from worker threads while its invariants are checked (see src/stress), and
 * prints the figures: operations per second, acquire latency percentiles,
 * fairness, time blocked. Exit code 0 when every run is clean, 1 when one shows a
 * violation, a deadlock, an error or (with --fairness MIN) a Jain index below MIN,
 * 2 for a usage error. A progress bar goes to
 * stderr for runs over a second, when stderr is a terminal and --json is off.
 *
 * With --explore the target's roles run under the explorer's controlled
 * scheduling instead (src/explorer, the target as target-stress.ts presents it):
 * a few workers doing --ops operations each (defaults 2 and 2), every schedule
 * within --preemptions for dfs; a violation, a failed final check or a deadlock
 * is a FORBIDDEN outcome, printed with its witness and replay id, exit 1.
 */
import { Option, type Command } from 'commander';
import type cliProgress from 'cli-progress';
import { integerAtLeast, oneOf, pctDepth, positiveNumber, preemptionBound, seed, workerCount } from '../arguments.js';
import { LIMITS } from '../limits.js';
import { STARTUP_LIMIT_SECONDS } from '../../harness/startup-limit.js';
import { CliContext } from '../context.js';
import { UsageError } from '../usage-error.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { loadExplorer, loadStressRunner } from '../engines.js';
import type { StressParams } from '../../stress/define-target.js';
import type { StressProgress, StressReport } from '../../stress/runner.js';
import type { LoadedTarget } from '../../stress/target-catalogue.js';
import { checkHtmlOptions, emitHtmlReport, withHtmlOptions, type HtmlOptions } from '../html-report.js';

type StressRunner = Awaited<ReturnType<typeof loadStressRunner>>;

interface StressOptions extends HtmlOptions {
  workers: number;
  duration?: number;
  ops?: number;
  hold: number;
  seed?: number;
  timeout?: number;
  killHolder: boolean;
  fairness?: number;
  explore: boolean;
  strategy?: 'dfs' | 'pct' | 'random';
  preemptions?: number;
  depth?: number;
  schedules?: number;
  time?: number;
  replay?: string;
}

/** --explore's sizes unless given: every built-in target explores in seconds with them. */
const EXPLORE_WORKERS = 2;
const EXPLORE_OPS = 2;
const EXPLORE_PREEMPTIONS = 2;
/** --explore's bounds on one target's search (a search cut short is not verified). */
const EXPLORE_SCHEDULES = 100_000;
const EXPLORE_SECONDS = 60;
const EXPLORE_PCT_DEPTH = 3;

const DEFAULT_DURATION = 2;

export function registerStress(program: Command): void {
  withHtmlOptions(program
    .command('stress')
    .description('hammer a synchronization primitive from worker threads, check its invariants, report latency and fairness')
    .argument('<target>', 'lock, rlock, semaphore, bounded-semaphore, condition, event, barrier, all, or the path of a stress target file (.ts or .js)')
    .addOption(new Option('--workers <n>', `worker threads, 1-${LIMITS.workers.max} (the barrier target takes at most 31; ${EXPLORE_WORKERS} with --explore)`).argParser(workerCount).default(4))
    .addOption(new Option('--duration <seconds>', `seconds of hammering, at most ${LIMITS.seconds.max} (default ${DEFAULT_DURATION} unless --ops is given)`).argParser(positiveNumber).conflicts('ops'))
    .addOption(new Option('--ops <n>', `operations per worker instead of a duration, at most ${LIMITS.count.max} (${EXPLORE_OPS} with --explore)`).argParser(integerAtLeast(1)))
    .addOption(new Option('--hold <microseconds>', `time each operation spends holding the primitive, at most ${LIMITS.hold.max}`).argParser(integerAtLeast(0, LIMITS.hold)).default(0))
    .option('--seed <s>', `seed for the workers' random choices, 0-${LIMITS.seed.max} (default: a fresh one, printed)`, seed)
    .option(
      '--timeout <seconds>',
      `seconds a run may take from its start barrier before it is reported as a deadlock (or as too slow, when operations still complete; a run whose workers all sleep in untimed waits is a deadlock at once), at most ${LIMITS.seconds.max} ` +
        `(default: duration + 30, or 60 with --ops); worker start-up has its own bound of ${STARTUP_LIMIT_SECONDS} s`,
      positiveNumber,
    )
    .option('--fairness <min>', "fail a run whose Jain index over its workers is below MIN (0 < MIN <= 1; 1 is perfectly even)", positiveNumber)
    .option('--kill-holder', 'terminate a worker while it holds the lock; the lock must be recovered (lock, rlock, or a target file with mutex())', false)
    .option('--explore', `run the roles under the schedule explorer instead (one worker moves at a time): a witness for each violation or deadlock, or verified at --preemptions (default ${EXPLORE_WORKERS} workers x ${EXPLORE_OPS} ops)`, false)
    .option('--strategy <name>', 'with --explore: dfs (exhaustive within the preemption bound), pct or random (seeded)', oneOf(['dfs', 'pct', 'random'] as const))
    .option('--preemptions <k>', `with --explore, dfs: at most this many preemptions per schedule (default ${EXPLORE_PREEMPTIONS})`, preemptionBound)
    .option('--depth <d>', `with --explore, pct: the bug depth d it aims at (default ${EXPLORE_PCT_DEPTH})`, pctDepth)
    .option('--schedules <n>', `with --explore: at most this many schedules per target (a search cut short is not verified; default ${EXPLORE_SCHEDULES})`, integerAtLeast(1))
    .option('--time <seconds>', `with --explore: at most this many seconds per target (a search cut short is not verified; default ${EXPLORE_SECONDS})`, positiveNumber)
    .option('--replay <id>', 'with --explore: run exactly the schedule with this id (printed with every witness)'))
    .action(async (argument: string, options: StressOptions, command: Command) => {
      const context = CliContext.of(command);
      if (options.explore) return exploreStress(context, argument, options, command);
      checkNoExploreOptions(options);
      checkHtmlOptions(options);
      const engine = await loadStressRunner();
      const { targets, params, timeoutSeconds } = await prepare(engine, argument, options);
      const reports: StressReport[] = [];
      for (const loaded of targets) {
        const progress = progressBar(engine, context, params, loaded.target.name);
        let report: StressReport;
        try {
          report = await engine.runStress({ loaded, params, timeoutSeconds, killHolder: options.killHolder, minFairness: options.fairness, onProgress: progress.update });
        } finally {
          progress.stop();
        }
        reports.push(report);
        if (!context.json) process.stdout.write(`${engine.formatStressReport(report)}\n\n`);
      }
      const failed = reports.filter((report) => report.outcome !== 'clean');
      if (context.json) context.emit({ reports, clean: failed.length === 0 }, () => '');
      else process.stdout.write(`${verdictLine(reports.length, 'clean', failed.map((report) => `${report.target} ${report.outcome.toUpperCase()}`))}\n`);
      await emitHtmlReport(options, (r, file) => r.writeReport(file, 'stress', r.stressReportData(reports)));
      process.exitCode = failed.length === 0 ? EXIT_OK : EXIT_FAILED;
    });
}

function checkNoExploreOptions(options: StressOptions): void {
  for (const [flag, given] of [['--strategy', options.strategy], ['--preemptions', options.preemptions], ['--depth', options.depth], ['--schedules', options.schedules], ['--time', options.time], ['--replay', options.replay]] as const) {
    if (given !== undefined) throw new UsageError(`${flag} needs --explore`);
  }
}

/** The options of a timed or killing stress run, which a controlled run has no use for. */
function checkExploreOptions(options: StressOptions & { html?: unknown }, command: Command): void {
  const refused: [string, boolean][] = [
    ['--duration', options.duration !== undefined],
    ['--kill-holder', options.killHolder],
    ['--timeout', options.timeout !== undefined],
    ['--fairness', options.fairness !== undefined],
    ['--hold', command.getOptionValueSource('hold') !== 'default'],
    ['--html', options.html !== undefined],
  ];
  for (const [flag, given] of refused) if (given) throw new UsageError(`--explore cannot take ${flag} (a controlled run has no time nor kills)`);
}

/** `stress --explore`: each target explored as its scenario-like form, printed as `memplay explore` prints; exit 1 when a FORBIDDEN outcome was found. */
async function exploreStress(context: CliContext, argument: string, options: StressOptions, command: Command): Promise<void> {
  checkExploreOptions(options, command);
  const [engine, explorer] = await Promise.all([loadStressRunner(), loadExplorer()]);
  const requests = await prepareExplore(engine, explorer, argument, options, command);
  const explorations = [];
  for (const target of requests.targets) {
    let exploration;
    try {
      exploration = await explorer.exploreVariant(target, requests.options);
    } catch (error) {
      if (error instanceof explorer.ReplayMismatch || error instanceof explorer.NotExplorable) throw new UsageError(error.message);
      throw error;
    }
    explorations.push(exploration);
    const replayArgument = argument === 'all' ? exploration.scenario : argument;
    if (!context.json) process.stdout.write(`${explorer.formatExploration(exploration, replayArgument, { command: 'stress', flags: ' --explore' })}\n\n`);
  }
  if (context.json) context.emit({ explorations }, () => '');
  else if (explorations.length > 1) process.stdout.write(`${verdictLine(explorations.length, 'verified', explorations.filter((e) => !e.verified).map((e) => `${e.scenario} ${e.forbidden ? 'FORBIDDEN' : 'not verified'}`))}\n`);
  process.exitCode = explorations.some((e) => e.forbidden) ? EXIT_FAILED : EXIT_OK;
}

type Explorer = Awaited<ReturnType<typeof loadExplorer>>;

/** The last line of `stress all`, with or without --explore: how many of the targets were `passed`, then what the others found. */
function verdictLine(targets: number, passed: string, others: readonly string[]): string {
  return `verdict: ${targets - others.length}/${targets} ${passed}${others.length === 0 ? '' : `; ${others.join(', ')}`}`;
}

/** The targets as the explorer's, sized by the replay id or --workers and --ops; every mistake a usage error before a thread starts. */
async function prepareExplore(engine: StressRunner, explorer: Explorer, argument: string, options: StressOptions, command: Command) {
  try {
    const replay = options.replay === undefined ? undefined : explorer.parseScheduleId(options.replay);
    if (replay !== undefined && argument === 'all') throw new UsageError('--replay needs the one target its id names, not all');
    const loaded = await engine.loadTargets(argument);
    if (replay !== undefined && (replay.scenario !== loaded[0].target.name || replay.variant !== explorer.STRESS_VARIANT)) {
      throw new UsageError(`the schedule id is one of ${replay.variant === explorer.STRESS_VARIANT ? `stress target '${replay.scenario}'` : `scenario '${replay.scenario}'`}, not stress target '${loaded[0].target.name}'`);
    }
    const workersGiven = command.getOptionValueSource('workers') !== 'default';
    const targets = loaded.map((one) => {
      const workers = replay?.workers ?? (workersGiven ? options.workers : Math.max(EXPLORE_WORKERS, one.target.minWorkers ?? 1));
      const ops = replay?.iterations ?? options.ops ?? EXPLORE_OPS;
      const seedValue = replay?.seed ?? options.seed ?? 0;
      engine.checkRequest(one.target, { workers, ops, duration: null, holdMicros: 0, seed: seedValue }, false);
      return explorer.exploreTargetOfStress(one, workers, ops, seedValue, options.time ?? EXPLORE_SECONDS);
    });
    const exploreOptions = {
      strategy: options.strategy ?? 'dfs',
      preemptions: options.preemptions ?? EXPLORE_PREEMPTIONS,
      depth: options.depth ?? EXPLORE_PCT_DEPTH,
      schedules: options.schedules ?? EXPLORE_SCHEDULES,
      seconds: options.time ?? EXPLORE_SECONDS,
      replay: replay?.choices,
    };
    return { targets, options: exploreOptions };
  } catch (error) {
    if (error instanceof engine.StressError || error instanceof explorer.ScheduleIdError) throw new UsageError(error.message);
    throw error;
  }
}

/** Loads the targets and checks the whole request before any thread starts; mistakes become usage errors. */
async function prepare(engine: StressRunner, argument: string, options: StressOptions): Promise<{ targets: LoadedTarget[]; params: StressParams; timeoutSeconds: number }> {
  if (options.fairness !== undefined && options.fairness > 1) throw new UsageError(`--fairness takes a Jain index between 0 and 1, got ${options.fairness}`);
  if (options.killHolder && argument === 'all') throw new UsageError('--kill-holder needs one target with a lock (lock, rlock or a target file), not all');
  const ops = options.ops ?? null;
  const duration = ops === null ? (options.duration ?? DEFAULT_DURATION) : null;
  const params: StressParams = { workers: options.workers, ops, duration, holdMicros: options.hold, seed: options.seed ?? engine.freshSeed() };
  const timeoutSeconds = options.timeout ?? (duration === null ? 60 : duration + 30);
  if (duration !== null && duration >= timeoutSeconds) throw new UsageError(`--timeout (${timeoutSeconds} s) must be longer than --duration (${duration} s)`);
  try {
    const targets = await engine.loadTargets(argument);
    for (const { target } of targets) engine.checkRequest(target, params, options.killHolder);
    return { targets, params, timeoutSeconds };
  } catch (error) {
    if (error instanceof engine.StressError) throw new UsageError(error.message);
    throw error;
  }
}

interface Progress {
  update: (progress: StressProgress) => void;
  stop: () => void;
}

/** A bar on stderr once a run has gone on for a second (never with --json, nor when stderr is not a terminal). */
function progressBar({ cliProgress }: StressRunner, context: CliContext, params: StressParams, target: string): Progress {
  if (context.json || !process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  let bar: cliProgress.SingleBar | undefined;
  const total = params.duration !== null ? params.duration : params.ops! * params.workers;
  return {
    update: (progress) => {
      if (bar === undefined && progress.elapsed < 1) return;
      if (bar === undefined) {
        const unit = params.duration !== null ? 's' : 'ops';
        bar = new cliProgress.SingleBar(
          { stream: process.stderr, format: `${target} [{bar}] {value}/{total} ${unit} | {ops} ops`, hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0, { ops: 0 });
      }
      const value = params.duration !== null ? Math.min(total, Math.round(progress.elapsed * 10) / 10) : Math.min(total, progress.ops);
      bar.update(value, { ops: progress.ops });
    },
    stop: () => bar?.stop(),
  };
}
