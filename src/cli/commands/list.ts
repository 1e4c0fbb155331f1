/*
 * `memplay list`: the built-in scenarios, one line each, with their variants.
 */
import type { Command } from 'commander';
import { CliContext } from '../context.js';
import { loadCoordinator } from '../engines.js';

interface ListedScenario {
  name: string;
  summary: string;
  variants: string[];
}

export function registerList(program: Command): void {
  program
    .command('list')
    .description('list the built-in scenarios with a one-line summary each')
    .action(async (_options, command: Command) => {
      const context = CliContext.of(command);
      const { loadCatalogue } = await loadCoordinator();
      const scenarios: ListedScenario[] = (await loadCatalogue()).map((entry) =>
        'error' in entry
          ? { name: entry.name, summary: `(cannot be loaded: ${entry.error})`, variants: [] }
          : { name: entry.scenario.name, summary: entry.scenario.summary, variants: Object.keys(entry.scenario.variants) },
      );
      context.emit({ scenarios }, render);
    });
}

function render({ scenarios }: { scenarios: ListedScenario[] }): string {
  const width = Math.max(...scenarios.map((scenario) => scenario.name.length));
  const lines = scenarios.map(
    (scenario) => `${scenario.name.padEnd(width)}  ${scenario.summary}` + (scenario.variants.length === 0 ? '' : `\n${' '.repeat(width)}  variants: ${scenario.variants.join(', ')}`),
  );
  return [...lines, '', "Run one with 'memplay run <name>'; 'memplay run <file.ts>' runs a scenario file of your own."].join('\n');
}
