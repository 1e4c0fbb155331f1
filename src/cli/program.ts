/*
 * The memplay command line: commander's program with the global options, every
 * command registered from src/cli/commands, and one rule for failures:
 *   a mistake in the command line (commander's errors, UsageError)  -> one line on stderr, exit 2;
 *   a user's file that fails (UserCodeError: it does not compile, or its setup,
 *   judge, ... raised or returned the wrong shape)                  -> that file's error: its
 *                                                                     line and column and its own
 *                                                                     frames on stderr, exit 1;
 *   a Python-named error from a run (MemoryError, ...)              -> one line, exit 1;
 *   anything else                                                   -> an internal error with its stack, exit 1.
 * Never a stack trace of memplay's for a user's mistake.
 */
import { Command, CommanderError, Option } from 'commander';
import { PythonError } from '../errors.js';
import { packageVersion } from '../package-info.js';
import { LIMITS } from './limits.js';
import { LOG_LEVELS } from './logger.js';
import { UserCodeError } from '../user-code-error.js';
import { UsageError } from './usage-error.js';
import { COMMANDS } from './commands/index.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './exit-codes.js';


const EXIT_CODES_HELP = `
HTML reports:
  run (a scenario or a Python script), explore, gil, stress and sim (sizeof,
  list-, dict- and set-growth, fragmentation, cycle, generations) take
  --html FILE: one self-contained page with charts (the run's data inlined, no
  network; open it from file://), and --open to open it.

Exit codes:
  0  the run was clean
  1  a FORBIDDEN outcome, a violation, a deadlock, or a failure in your scenario
     or target file (shown with its file:line:col)
  2  a mistake in the command line, one line on stderr (numbers have upper
     limits: --workers ${LIMITS.workers.max}, --repeat ${LIMITS.repeat.max}, other counts ${LIMITS.count.max}, seconds ${LIMITS.seconds.max})`;

export function buildProgram(): Command {
  const program = new Command('memplay')
    .description("A playground for Python's memory model and its shared-memory concurrency, on Node worker threads.")
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .option('--json', 'machine-readable output on stdout (nothing else is written there)', false)
    .addOption(new Option('--log-level <level>', 'how much to log to stderr (pino JSON lines)').choices(LOG_LEVELS).default('warn'))
    .helpOption('-h, --help', 'show help for memplay or a command')
    .showSuggestionAfterError(true)
    // Every command's --help lists --json and --log-level too: they may follow the command (`sim sizeof x --json`).
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ outputError: (message, write) => write(`memplay: ${oneLine(message)}\n`) })
    .exitOverride()
    .addHelpText('after', EXIT_CODES_HELP);
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
    refuseHelpForUnknown(program, args);
    await program.parseAsync(args, { from: 'user' });
    return process.exitCode === undefined ? EXIT_OK : Number(process.exitCode);
  } catch (error) {
    return exitCodeFor(error);
  }
}

/** `memplay help bogus`: one line naming the mistake, as `memplay bogus` gets (commander would print the whole help). */
function refuseHelpForUnknown(program: Command, args: readonly string[]): void {
  if (args[0] !== 'help' || args[1] === undefined) return;
  if (!program.commands.some((command) => command.name() === args[1])) throw new UsageError(`unknown command '${args[1]}' (the commands: ${program.commands.map((command) => command.name()).join(', ')})`);
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and --version end through here too, with exit code 0.
    return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`memplay: ${oneLine(error.message)}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof UserCodeError) {
    process.stderr.write(`memplay: ${error.describe()}\n`);
    return EXIT_FAILED;
  }
  if (error instanceof PythonError) {
    process.stderr.write(`memplay: ${error.name}: ${oneLine(error.message)}\n`);
    return EXIT_FAILED;
  }
  const message = error instanceof Error ? error.stack ?? error.message : String(error);
  process.stderr.write(`memplay: internal error (please report it): ${message}\n`);
  return EXIT_FAILED;
}

function oneLine(message: string): string {
  return message.replace(/^error: /, '').split('\n')[0].trim();
}
