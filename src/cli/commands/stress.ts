/*
 * `memplay stress <target|all|./file.ts>`: hammers a synchronization primitive
 * from worker threads while its invariants are checked (see src/stress), and
 * prints the figures: operations per second, acquire latency percentiles,
 * fairness, time blocked. Exit code 0 when every run is clean, 1 when one shows a
 * violation, a deadlock, an error or (with --fairness MIN) a Jain index below MIN,
 * 2 for a usage error. A progress bar goes to
 * stderr for runs over a second, when stderr is a terminal and --json is off.
 */
import { Option, type Command } from 'commander';
import type cliProgress from 'cli-progress';
import { integerAtLeast, positiveNumber, seed, workerCount } from '../arguments.js';
import { LIMITS } from '../limits.js';
import { STARTUP_LIMIT_SECONDS } from '../../harness/startup-limit.js';
import { CliContext } from '../context.js';
import { UsageError } from '../usage-error.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { loadStressRunner } from '../engines.js';
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
}

const DEFAULT_DURATION = 2;

export function registerStress(program: Command): void {
  withHtmlOptions(program
    .command('stress')
    .description('hammer a synchronization primitive from worker threads, check its invariants, report latency and fairness')
    .argument('<target>', 'lock, rlock, semaphore, bounded-semaphore, condition, event, barrier, all, or the path of a stress target file (.ts or .js)')
    .addOption(new Option('--workers <n>', `worker threads, 1-${LIMITS.workers.max} (the barrier target takes at most 31)`).argParser(workerCount).default(4))
    .addOption(new Option('--duration <seconds>', `seconds of hammering, at most ${LIMITS.seconds.max} (default ${DEFAULT_DURATION} unless --ops is given)`).argParser(positiveNumber).conflicts('ops'))
    .addOption(new Option('--ops <n>', `operations per worker instead of a duration, at most ${LIMITS.count.max}`).argParser(integerAtLeast(1)))
    .addOption(new Option('--hold <microseconds>', `time each operation spends holding the primitive, at most ${LIMITS.hold.max}`).argParser(integerAtLeast(0, LIMITS.hold)).default(0))
    .option('--seed <s>', `seed for the workers' random choices, 0-${LIMITS.seed.max} (default: a fresh one, printed)`, seed)
    .option(
      '--timeout <seconds>',
      `seconds a run may take from its start barrier before it is reported as a deadlock (or as too slow, when operations still complete), at most ${LIMITS.seconds.max} ` +
        `(default: duration + 30, or 60 with --ops); worker start-up has its own bound of ${STARTUP_LIMIT_SECONDS} s`,
      positiveNumber,
    )
    .option('--fairness <min>', "fail a run whose Jain index over its workers is below MIN (0 < MIN <= 1; 1 is perfectly even)", positiveNumber)
    .option('--kill-holder', 'terminate a worker while it holds the lock; the lock must be recovered (lock, rlock, or a target file with mutex())', false))
    .action(async (argument: string, options: StressOptions, command: Command) => {
      const context = CliContext.of(command);
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
      else process.stdout.write(`verdict: ${reports.length - failed.length}/${reports.length} clean${failed.length === 0 ? '' : `; ${failed.map((report) => `${report.target} ${report.outcome.toUpperCase()}`).join(', ')}`}\n`);
      await emitHtmlReport(options, (r, file) => r.writeReport(file, 'stress', r.stressReportData(reports)));
      process.exitCode = failed.length === 0 ? EXIT_OK : EXIT_FAILED;
    });
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
