/*
 * `memplay explore <scenario|file.ts|script.py [args...]>`: controlled runs of a
 * scenario's variants, or of a Python script's processes (src/explorer,
 * src/python/script-scenario.ts): one worker moves at a time and a strategy
 * chooses which, so a race is shown step by step (its witness), replayed exactly
 * (--replay), and a fix verified for every schedule within a preemption bound.
 * --html FILE also writes the explore report (src/report): the outcomes, each
 * witness as a step player, the verdicts. Exit code 0 when no FORBIDDEN outcome was found, 1 when
 * one was, 2 for a usage error (a bad number, strategy or schedule id, an id of
 * another scenario or variant, or a bad --html file).
 */
import type { Command } from 'commander';
import { SCRIPT_WORKERS } from '../../python/script-workers.js';
import { integerAtLeast, oneOf, pctDepth, positiveNumber, preemptionBound, seed, workerCount } from '../arguments.js';
import { CliContext } from '../context.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { loadCoordinator, loadExplorer, loadPythonExplorer } from '../engines.js';
import { UsageError } from '../usage-error.js';
import { checkHtmlOptions, emitHtmlReport, withHtmlOptions, type HtmlOptions } from '../html-report.js';
import type { ExploredVariant } from '../../report/explore.js';

interface ExploreCliOptions extends HtmlOptions {
  variant: string;
  strategy: 'dfs' | 'pct' | 'random';
  preemptions: number;
  depth: number;
  schedules: number;
  time: number;
  seed: number;
  replay?: string;
  workers?: number;
  iterations?: number;
}

/** Every built-in scenario explores in seconds at these sizes (--workers and --iterations override them). */
const EXPLORE_ITERATIONS = 2;

export function registerExplore(program: Command): void {
  withHtmlOptions(program
    .command('explore')
    .description("run a scenario, or a Python script's processes, under a controlled scheduler: a witness for each race, exact replays, and verification of a fix within a preemption bound; --html FILE plays each witness step by step in a browser")
    .argument('<scenario>', "a built-in scenario (see 'memplay list'), the path of a scenario file (.ts or .js), or a Python script (.py)")
    .argument('[args...]', "a Python script's arguments (its sys.argv[1:]; put them after -- when one starts with -)")
    .option('--variant <name>', 'the variant to explore, or all', 'all')
    .option('--strategy <name>', 'dfs (exhaustive within the preemption bound, sleep sets), pct (probabilistic, depth --depth) or random (seeded)', oneOf(['dfs', 'pct', 'random'] as const), 'dfs')
    .option('--preemptions <k>', 'dfs: at most this many preemptions per schedule', preemptionBound, 2)
    .option('--depth <d>', 'pct: the bug depth d it aims at', pctDepth, 3)
    .option('--schedules <n>', 'at most this many schedules per variant (a search cut short is not verified)', integerAtLeast(1), 100_000)
    .option('--time <seconds>', 'at most this many seconds per variant (a search cut short is not verified)', positiveNumber, 60)
    .option('--seed <s>', "seed of pct, random and the scenario's own random choices", seed, 0)
    .option('--replay <id>', 'run exactly the schedule with this id (printed with every witness)')
    .option('--workers <n>', `worker threads (default: the variant's own explore count, else 2 or the scenario's minimum); for a Python script, the processes a schedule may have, the main one included (default: ${SCRIPT_WORKERS})`, workerCount)
    .option('--iterations <n>', `iterations of each worker's loop (default: ${EXPLORE_ITERATIONS})`, integerAtLeast(1)))
    .action(async (argument: string, args: string[], options: ExploreCliOptions, command: Command) => {
      const context = CliContext.of(command);
      const script = argument.endsWith('.py');
      if (script) refuseScenarioOptions(command);
      else if (args.length > 0) throw new UsageError(`unexpected arguments after the scenario: ${args.join(' ')} (only a Python script takes arguments)`);
      refuseUnusedOptions(command, options);
      checkHtmlOptions(options);
      const [coordinator, explorer] = await Promise.all([loadCoordinator(), loadExplorer()]);
      const requests = script ? await prepareScript(explorer, argument, args, options) : await prepare(coordinator, explorer, argument, options);
      const replay = script ? { command: 'explore', flags: '', args } : undefined;
      const explorations: ExploredVariant[] = [];
      for (const request of requests) {
        let exploration;
        try {
          exploration = await explorer.exploreVariant(request.target, request.options);
        } catch (error) {
          if (error instanceof explorer.ReplayMismatch || error instanceof explorer.NotExplorable) throw new UsageError(error.message);
          throw error;
        }
        const text = explorer.formatExploration(exploration, argument, replay);
        const { summary, python } = request.target.scenario.variants[request.target.variant];
        explorations.push({ exploration, summary, python, argument, replay });
        if (!context.json) process.stdout.write(`${text}\n\n`);
      }
      if (context.json) context.emit({ scenario: requests[0]?.target.scenario.name, variants: explorations.map((e) => e.exploration) }, () => '');
      await emitHtmlReport(options, (reports, file) => reports.writeReport(file, 'explore', reports.exploreReportData(requests[0].target.scenario, explorations)));
      process.exitCode = explorations.some((e) => e.exploration.forbidden) ? EXIT_FAILED : EXIT_OK;
    });
}

type Coordinator = Awaited<ReturnType<typeof loadCoordinator>>;
type Explorer = Awaited<ReturnType<typeof loadExplorer>>;

/** Loads the scenario and checks everything before a worker starts; every mistake is a usage error. */
async function prepare(coordinator: Coordinator, explorer: Explorer, argument: string, options: ExploreCliOptions) {
  try {
    const loaded = await coordinator.loadScenario(argument);
    const { scenario } = loaded;
    const replay = options.replay === undefined ? undefined : explorer.parseScheduleId(options.replay);
    if (replay !== undefined) checkReplayFits(replay, scenario.name, options.variant, Object.keys(scenario.variants));
    const variants = replay !== undefined ? [replay.variant] : coordinator.selectVariants(scenario, options.variant);
    const sizes = (variant: string) => ({
      workers: replay?.workers ?? options.workers ?? explorer.exploreWorkers(scenario, variant),
      iterations: replay?.iterations ?? options.iterations ?? EXPLORE_ITERATIONS,
    });
    const seedValue = replay?.seed ?? options.seed;
    return variants.map((variant) => ({
      target: { ...loaded, variant, params: explorer.exploredParams(scenario, sizes(variant), variant), seed: seedValue },
      options: { strategy: options.strategy, preemptions: options.preemptions, depth: options.depth, schedules: options.schedules, seconds: options.time, replay: replay?.choices },
    }));
  } catch (error) {
    if (error instanceof coordinator.ScenarioError || error instanceof explorer.ScheduleIdError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * An option the chosen search never reads is a mistake, not a silent no-op: --depth
 * is pct's, --preemptions dfs's, and a replay id fixes the schedule, its seed
 * and its sizes (the search's bounds, --schedules and --time, may stay).
 */
function refuseUnusedOptions(command: Command, options: ExploreCliOptions): void {
  const given = givenOnCommandLine(command, ['strategy', 'preemptions', 'depth', 'seed', 'workers', 'iterations']);
  if (options.replay !== undefined) {
    if (given.length > 0) throw new UsageError(`--replay runs the schedule its id names: ${given.map((key) => `--${key}`).join(', ')} cannot be given with it`);
    return;
  }
  if (given.includes('depth') && options.strategy !== 'pct') throw new UsageError(`--depth is pct's, not ${options.strategy}'s (--strategy pct)`);
  if (given.includes('preemptions') && options.strategy !== 'dfs') throw new UsageError(`--preemptions is dfs's, not ${options.strategy}'s`);
}

/** Which of the options `keys` the user gave on the command line (not defaults). */
function givenOnCommandLine(command: Command, keys: readonly string[]): string[] {
  return keys.filter((key) => command.getOptionValueSource(key) === 'cli');
}

/** --variant and --iterations say nothing to a script (its arguments choose what it does). */
function refuseScenarioOptions(command: Command): void {
  const given = givenOnCommandLine(command, ['variant', 'iterations']);
  if (given.length > 0) throw new UsageError(`${given.map((key) => `--${key}`).join(', ')} ${given.length === 1 ? 'applies' : 'apply'} to a scenario only: a Python script takes its own arguments`);
}

/** The one request exploring a Python script; an unreadable script or a bad id is a usage error. */
async function prepareScript(explorer: Explorer, path: string, args: readonly string[], options: ExploreCliOptions) {
  const python = await loadPythonExplorer();
  try {
    const replay = options.replay === undefined ? undefined : explorer.parseScheduleId(options.replay);
    const workers = replay?.workers ?? options.workers ?? python.SCRIPT_WORKERS;
    const target = await python.scriptExploreTarget(path, args, workers, replay?.seed ?? options.seed);
    if (replay !== undefined) checkReplayFits(replay, target.scenario.name, target.variant, [target.variant]);
    return [{ target, options: { strategy: options.strategy, preemptions: options.preemptions, depth: options.depth, schedules: options.schedules, seconds: options.time, replay: replay?.choices } }];
  } catch (error) {
    if (error instanceof python.ScriptFileError || error instanceof explorer.ScheduleIdError) throw new UsageError(error.message);
    throw error;
  }
}

function checkReplayFits(replay: { scenario: string; variant: string }, scenario: string, variant: string, variants: readonly string[]): void {
  if (replay.scenario !== scenario) throw new UsageError(`the schedule id is one of scenario '${replay.scenario}', not '${scenario}'`);
  if (variant !== 'all' && replay.variant !== variant) throw new UsageError(`the schedule id is one of variant '${replay.variant}', not '${variant}'`);
  if (!variants.includes(replay.variant)) throw new UsageError(`the schedule id names variant '${replay.variant}', which scenario '${scenario}' does not have (variants: ${variants.join(', ')})`);
}
