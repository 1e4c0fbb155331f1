/*
 * `memplay tour` (what `npm start` runs): a short guided tour through a few
 * built-in scenarios, each introduced by its explanation and run with small
 * repeats: first the Value `+=` trap and its fix, then a check-then-act race,
 * a torn read and a deadlock caught by the watchdog; last, one witness of the
 * explorer: the lost update, step by step (text only). It takes well under a
 * minute and exits 1 only if a fixed variant showed a FORBIDDEN outcome.
 */
import type { Command } from 'commander';
import { CliContext } from '../context.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { wrapText } from '../wrap.js';
import { loadCoordinator, loadExplorer } from '../engines.js';
import type { ScenarioReport } from '../../coordinator/run-scenario.js';

interface Stop {
  readonly scenario: string;
  readonly variants: readonly string[];
  readonly repeat: number;
}

const STOPS: readonly Stop[] = [
  { scenario: 'synchronized-value-trap', variants: ['racy', 'fixed'], repeat: 3 },
  { scenario: 'check-then-act', variants: ['racy', 'fixed'], repeat: 3 },
  { scenario: 'torn-read', variants: ['racy', 'fixed'], repeat: 3 },
  { scenario: 'deadlock-dining-philosophers', variants: ['racy', 'fixed'], repeat: 2 },
];

/** The tour's runs are repeatable: the same seed every time. */
const TOUR_SEED = 2024;

export function registerTour(program: Command): void {
  program
    .command('tour')
    .description('a short guided tour: races in real workers on real shared memory, then their fixes')
    .action(async (_options, command: Command) => {
      const context = CliContext.of(command);
      const { loadScenario, runScenario, formatVariant, formatVerdict } = await loadCoordinator();
      const say = (text: string) => {
        if (!context.json) process.stdout.write(`${text}\n`);
      };
      say("memplay tour: Python's shared-memory races, run for real on worker threads.\n");
      const reports: ScenarioReport[] = [];
      for (const [number, stop] of STOPS.entries()) {
        const { scenario, moduleUrl } = await loadScenario(stop.scenario);
        say(`${wrapText(`== Stop ${number + 1} of ${STOPS.length}: ${scenario.name}: ${scenario.summary}`)}\n\n${wrapText(scenario.explain)}\n`);
        const report = await runScenario({
          scenario,
          moduleUrl,
          variant: stop.variants,
          overrides: { repeat: stop.repeat },
          seed: TOUR_SEED,
          log: context.log,
          onVariant: (variant) => say(`${formatVariant(variant, scenario.params, scenario.vocabulary)}\n`),
        });
        say(`${wrapText(formatVerdict(report))}\n`);
        reports.push(report);
      }
      if (!context.json) await showOneWitness(say);
      say("That's the tour. 'memplay list' shows all the scenarios; 'memplay run <name>' runs one in full; 'memplay explore <name>' shows how a race happens, step by step.");
      if (context.json) context.emit({ tour: reports }, () => '');
      process.exitCode = reports.some((report) => report.forbidden) ? EXIT_FAILED : EXIT_OK;
    });
}

/** The last stop: `memplay explore lost-update --variant racy --iterations 1`, its witness step by step. */
async function showOneWitness(say: (text: string) => void): Promise<void> {
  const [{ loadScenario, resolveParams }, explorer] = await Promise.all([loadCoordinator(), loadExplorer()]);
  const loaded = await loadScenario('lost-update');
  say(wrapText(`== Last stop: how an update is lost, step by step (memplay explore: one worker moves at a time, every interleaving within 2 preemptions is tried)`) + '\n');
  const params = resolveParams(loaded.scenario, { workers: 2, iterations: 1 }, 'racy');
  const exploration = await explorer.exploreVariant({ ...loaded, variant: 'racy', params, seed: 0 }, { strategy: 'dfs', preemptions: 2, depth: 3, schedules: 1000, seconds: 30 });
  say(`${explorer.formatExploration(exploration)}\n`);
}
