/*
 * `memplay list`: the built-in scenarios, one line each.
 */
import type { Command } from 'commander';
import { CliContext } from '../context.js';

export function registerList(program: Command): void {
  program
    .command('list')
    .description('list the built-in scenarios with a one-line summary each')
    .action((_options, command: Command) => {
      const context = CliContext.of(command);
      const scenarios: { name: string; summary: string }[] = [];
      context.emit({ scenarios }, ({ scenarios }) =>
        scenarios.length === 0 ? 'No scenarios are built in yet.' : scenarios.map((s) => `${s.name.padEnd(32)} ${s.summary}`).join('\n'),
      );
    });
}
