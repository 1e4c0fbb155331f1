/*
 * The memplay command line: commander's program with the global options, every
 * command registered from src/cli/commands, and one rule for failures:
 * a user's mistake is one line on stderr and exit code 2, never a stack trace.
 */
import { Command, CommanderError, Option } from 'commander';
import { PythonError } from '../errors.js';
import { packageVersion } from '../package-info.js';
import { LOG_LEVELS } from './logger.js';
import { UsageError } from './usage-error.js';
import { COMMANDS } from './commands/index.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export function buildProgram(): Command {
  const program = new Command('memplay')
    .description("A playground for Python's memory model and its shared-memory concurrency, on Node worker threads.")
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .option('--json', 'machine-readable output on stdout (nothing else is written there)', false)
    .addOption(new Option('--log-level <level>', 'how much to log to stderr (pino JSON lines)').choices(LOG_LEVELS).default('warn'))
    .helpOption('-h, --help', 'show help for memplay or a command')
    .showSuggestionAfterError(true)
    .configureOutput({ outputError: (message, write) => write(`memplay: ${oneLine(message)}\n`) })
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

/** Runs the CLI on `args` (without node and the script); resolves to the exit code. */
export async function runCli(args: string[]): Promise<number> {
  const program = buildProgram();
  if (args.length === 0) {
    program.outputHelp();
    return EXIT_OK;
  }
  try {
    await program.parseAsync(args, { from: 'user' });
    return process.exitCode === undefined ? EXIT_OK : Number(process.exitCode);
  } catch (error) {
    return exitCodeFor(error);
  }
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and --version end through here too, with exit code 0.
    return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  if (error instanceof UsageError || error instanceof PythonError || error instanceof TypeError) {
    process.stderr.write(`memplay: ${oneLine(error.message)}\n`);
    return EXIT_USAGE;
  }
  const message = error instanceof Error ? error.stack ?? error.message : String(error);
  process.stderr.write(`memplay: internal error (please report it): ${message}\n`);
  return EXIT_FAILED;
}

function oneLine(message: string): string {
  return message.replace(/^error: /, '').split('\n')[0].trim();
}
