/*
 * `memplay tour` (what `npm start` runs): a short guided tour through a few
 * built-in scenarios, each introduced by its explanation and run with small
 * repeats: first the Value `+=` trap and its fix, then a check-then-act race,
 * a torn read and a deadlock caught by the watchdog. It takes well under a
 * minute and exits 1 only if a fixed variant showed a FORBIDDEN outcome.
 */
import type { Command } from 'commander';
import { CliContext } from '../context.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { wrapText } from '../wrap.js';
import { loadCoordinator } from '../engines.js';
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
      say("That's the tour. 'memplay list' shows all the scenarios; 'memplay run <name>' runs one in full.");
      if (context.json) context.emit({ tour: reports }, () => '');
      process.exitCode = reports.some((report) => report.forbidden) ? EXIT_FAILED : EXIT_OK;
    });
}
