/*
 * `memplay run <scenario|file.ts>`: runs a scenario's variants on real worker
 * threads and reports what happened (see src/coordinator). Exit code 0 when no
 * run had a FORBIDDEN outcome, 1 when one did, 2 for a usage error.
 * `memplay run script.py [args...]` runs a Python program instead, each process
 * with its own interpreter (src/python/run-command.ts); its exit code is the script's.
 */
import type { Command } from 'commander';
import { integerAtLeast, positiveNumber, seed, workerCount } from '../arguments.js';
import { LIMITS } from '../limits.js';
import { CliContext } from '../context.js';
import { UsageError } from '../usage-error.js';
import { wrapText } from '../wrap.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { loadCoordinator, loadPythonRunner } from '../engines.js';
import type { LoadedScenario } from '../../coordinator/catalogue.js';
import type { RunRequest, ScenarioReport } from '../../coordinator/run-scenario.js';
import type { ScenarioParams } from '../../coordinator/define-scenario.js';
import { STARTUP_LIMIT_SECONDS } from '../../harness/startup-limit.js';
import { checkHtmlOptions, emitHtmlReport, withHtmlOptions, type HtmlOptions } from '../html-report.js';

interface RunOptions extends HtmlOptions {
  variant: string;
  workers?: number;
  iterations?: number;
  repeat?: number;
  seed?: number;
  timeout?: number;
}

export function registerRun(program: Command): void {
  withHtmlOptions(program
    .command('run')
    .description('run a scenario (a built-in name or a scenario file) and judge each variant; or run a Python script (.py), each multiprocessing.Process with its own interpreter')
    .argument('<scenario>', "a built-in scenario (see 'memplay list'), the path of a scenario file (.ts or .js), or a Python script (.py)")
    .argument('[args...]', "a Python script's arguments (its sys.argv[1:])")
    .option('--variant <name>', "the variant to run, by the name the scenario gives it (the built-in race scenarios have racy and fixed), or all", 'all')
    .option('--workers <n>', `worker threads per run, 1-${LIMITS.workers.max} (default: the scenario's)`, workerCount)
    .option('--iterations <n>', `iterations of each worker's loop, at most ${LIMITS.count.max} (default: the scenario's)`, integerAtLeast(1))
    .option('--repeat <n>', `runs per variant, each on fresh shared objects, at most ${LIMITS.repeat.max} (default: the scenario's; a Python script: 1, and with more its outcomes, the last line the main process printed, are tabulated)`, integerAtLeast(1, LIMITS.repeat))
    .option('--seed <s>', `seed for the scenario's random choices, 0-${LIMITS.seed.max} (default: a fresh one, printed)`, seed)
    .option('--timeout <seconds>', `seconds a run may take from its start barrier before the watchdog ends it, at most ${LIMITS.seconds.max} (default: the scenario's; a Python script: ${PYTHON_TIMEOUT_SECONDS} s for the whole run, after which the processes still running are named and ended); worker start-up has its own bound of ${STARTUP_LIMIT_SECONDS} s`, positiveNumber))
    .action(async (argument: string, args: string[], options: RunOptions, command: Command) => {
      const context = CliContext.of(command);
      if (argument.endsWith('.py')) return runPythonScript(argument, args, options, context);
      if (args.length > 0) throw new UsageError(`unexpected arguments after the scenario: ${args.join(' ')} (only a Python script takes arguments)`);
      checkHtmlOptions(options);
      const coordinator = await loadCoordinator();
      const { request, params } = await prepareRun(coordinator, argument, options, context);
      const report = await coordinator.runScenario({
        ...request,
        onVariant: context.json ? undefined : (variant) => process.stdout.write(`${coordinator.formatVariant(variant, params, request.scenario.vocabulary)}\n\n`),
      });
      if (context.json) context.emit(report, () => '');
      else process.stdout.write(`${wrapText(`Why: ${report.explain}`)}\n\n${wrapText(coordinator.formatVerdict(report))}\n`);
      await emitHtmlReport(options, (reports, file) => reports.writeReport(file, 'run', reports.runReportData(report)));
      process.exitCode = exitCodeOf(report);
    });
}

const PYTHON_TIMEOUT_SECONDS = 60;

async function runPythonScript(script: string, argv: string[], options: RunOptions, context: CliContext): Promise<void> {
  const python = await loadPythonRunner();
  try {
    process.exitCode = await python.runPythonCommand({ script, argv, timeoutSeconds: options.timeout ?? PYTHON_TIMEOUT_SECONDS, repeat: options.repeat ?? 1, json: context.json });
  } catch (error) {
    if (error instanceof python.ScriptFileError) throw new UsageError(error.message);
    throw error;
  }
}

export function exitCodeOf(report: ScenarioReport): number {
  return report.forbidden ? EXIT_FAILED : EXIT_OK;
}

/** Loads the scenario and checks the request before anything runs; mistakes become usage errors. */
async function prepareRun(coordinator: Awaited<ReturnType<typeof loadCoordinator>>, argument: string, options: RunOptions, context: CliContext): Promise<{ request: RunRequest; params: ScenarioParams }> {
  let loaded: LoadedScenario;
  try {
    const { loadScenario, resolveParams, selectVariants, freshSeed, formatScenarioHeader } = coordinator;
    loaded = await loadScenario(argument);
    const overrides = { workers: options.workers, iterations: options.iterations, repeat: options.repeat, timeout: options.timeout };
    const params = resolveParams(loaded.scenario, overrides);
    for (const variant of selectVariants(loaded.scenario, options.variant)) resolveParams(loaded.scenario, overrides, variant);
    const seed = options.seed ?? freshSeed();
    const request: RunRequest = { ...loaded, variant: options.variant, overrides, seed, log: context.log };
    if (!context.json) process.stdout.write(`${formatScenarioHeader({ ...loaded.scenario, scenario: loaded.scenario.name, params, seed })}\n\n`);
    return { request, params };
  } catch (error) {
    if (error instanceof coordinator.ScenarioError) throw new UsageError(error.message);
    throw error;
  }
}
