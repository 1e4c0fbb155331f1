/*
 * `memplay run <scenario|file.ts>`: runs a scenario's variants on real worker
 * threads and reports what happened (see src/coordinator). Exit code 0 when no
 * run had a FORBIDDEN outcome, 1 when one did, 2 for a usage error.
 * `memplay run script.py [args...]` runs a Python program instead, each process
 * with its own interpreter (src/python/run-command.ts); its exit code is the script's.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { outcomeRegex } from '../../python/outcomes.js';
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
  outcome?: RegExp;
  label?: boolean;
  compareCpython?: boolean;
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
    .option('--repeat <n>', `runs per variant, each on fresh shared objects, at most ${LIMITS.repeat.max} (default: the scenario's; a Python script: 1, or ${COMPARE_CPYTHON_REPEAT} with --compare-cpython, and with more its outcomes, the last line the main process printed, are tabulated)`, integerAtLeast(1, LIMITS.repeat))
    .option('--seed <s>', `seed for the scenario's random choices, 0-${LIMITS.seed.max} (default: a fresh one, printed)`, seed)
    .option('--timeout <seconds>', `seconds a run may take from its start barrier before the watchdog ends it, at most ${LIMITS.seconds.max} (default: the scenario's; a Python script: ${PYTHON_TIMEOUT_SECONDS} s for the whole run, after which the processes still running are named and ended); worker start-up has its own bound of ${STARTUP_LIMIT_SECONDS} s`, positiveNumber))
    .option('--outcome <regex>', "a Python script, with --repeat, --compare-cpython or --json: a run's outcome is the first match of this regular expression in the main process's stdout (its first capture group when it has one; ^ and $ match at each line), not its last line; (no match) when none", outcomeRegexArgument)
    .option('--label', 'a Python script: prefix every line each process writes to stdout and stderr with its name, [MainProcess] or [Process-1]')
    .option('--compare-cpython', `a Python script: run it --repeat times (default: ${COMPARE_CPYTHON_REPEAT}) in memplay and as many in the real python3 (from PATH, as python3 script.py args, its default start method, each bounded by --timeout) and tabulate both implementations' outcomes side by side; without python3, one line says so and memplay's table stands alone`)
    .action(async (argument: string, args: string[], options: RunOptions, command: Command) => {
      const context = CliContext.of(command);
      if (argument.endsWith('.py')) {
        refuseOptionsOfOthers(command, SCENARIO_ONLY_OPTIONS, 'a scenario (not a Python script)');
        return runPythonScript(argument, args, options, context);
      }
      refuseOptionsOfOthers(command, PYTHON_ONLY_OPTIONS, 'a Python script (.py)');
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

/** --repeat for a Python script when --compare-cpython is given without it. */
const COMPARE_CPYTHON_REPEAT = 20;

const PYTHON_ONLY_OPTIONS = { outcome: '--outcome', label: '--label', compareCpython: '--compare-cpython' } as const;
const SCENARIO_ONLY_OPTIONS = { variant: '--variant', workers: '--workers', iterations: '--iterations', seed: '--seed' } as const;

/** Options given on the command line that only the other kind of run takes are usage errors. */
function refuseOptionsOfOthers(command: Command, options: Record<string, string>, whose: string): void {
  const given = Object.entries(options).filter(([key]) => command.getOptionValueSource(key) === 'cli').map(([, flag]) => flag);
  if (given.length > 0) throw new UsageError(`${given.join(', ')} ${given.length === 1 ? 'applies' : 'apply'} to ${whose} only`);
}

/** --outcome's value: a regular expression, or one line saying why it is not. */
function outcomeRegexArgument(text: string): RegExp {
  try {
    return outcomeRegex(text);
  } catch (error) {
    throw new InvalidArgumentError(`not a regular expression: ${(error as Error).message}`);
  }
}

async function runPythonScript(script: string, argv: string[], options: RunOptions, context: CliContext): Promise<void> {
  const compareCpython = options.compareCpython ?? false;
  const repeat = options.repeat ?? (compareCpython ? COMPARE_CPYTHON_REPEAT : 1);
  if (options.outcome !== undefined && repeat === 1 && !compareCpython && !context.json) {
    throw new UsageError('--outcome chooses the outcome of each run: give it with --repeat N (N > 1), --compare-cpython or --json');
  }
  checkHtmlOptions(options);
  const python = await loadPythonRunner();
  try {
    const { exitCode, report } = await python.runPythonCommand({
      script, argv, timeoutSeconds: options.timeout ?? PYTHON_TIMEOUT_SECONDS, repeat, json: context.json,
      label: options.label ?? false, outcome: options.outcome ?? null, compareCpython,
    });
    process.exitCode = exitCode;
    if (report !== null) await emitHtmlReport(options, (reports, file) => reports.writeReport(file, 'python', reports.pythonReportData(script, argv, report)));
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
