/*
 * The bench scripts' command lines, parsed by node:util's parseArgs (strict: an
 * unknown option, a missing value or a stray positional is an error). A bad
 * argument is one line on stderr, `<script>: <what is wrong> (usage: ...)`, and
 * exit code 2, never a stack trace.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** What a script's command line is: its name for messages, its usage line, its options. */
export interface CommandLine<O extends OptionsConfig> {
  script: string;
  usage: string;
  options: O;
  allowPositionals?: boolean;
}

/** Ends the process with one line on stderr and exit code 2. */
export function refuse(line: CommandLine<OptionsConfig>, problem: string): never {
  process.stderr.write(`${line.script}: ${problem} (usage: ${line.usage})\n`);
  process.exit(2);
}

type Parsed<O extends OptionsConfig> = ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: boolean }>>;

/** `argv` parsed against `line`'s options; refused (exit 2) when it does not fit. */
export function parseCommandLine<O extends OptionsConfig>(line: CommandLine<O>, argv: string[]): Parsed<O> {
  try {
    return parseArgs({ args: argv, options: line.options, strict: true, allowPositionals: line.allowPositionals ?? false });
  } catch (error) {
    return refuse(line, (error as Error).message.split('\n')[0]!);
  }
}

/** An option's value as a whole number from 1 to `max`; refused otherwise. */
export function positiveInteger(line: CommandLine<OptionsConfig>, name: string, value: string, max = Number.MAX_SAFE_INTEGER): number {
  const range = max === Number.MAX_SAFE_INTEGER ? 'of at least 1' : `from 1 to ${max}`;
  if (!/^[1-9]\d*$/.test(value) || Number(value) > max) refuse(line, `${name} takes a whole number ${range}, not '${value}'`);
  return Number(value);
}

/** A value that must be one of `choices`; refused otherwise. */
export function oneOf<T extends string>(line: CommandLine<OptionsConfig>, name: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) refuse(line, `${name} is one of ${choices.join(', ')}, not '${value}'`);
  return value as T;
}

/** An option's value as a comma-separated list of `choices`; refused otherwise. */
export function listOf<T extends string>(line: CommandLine<OptionsConfig>, name: string, value: string, choices: readonly T[]): T[] {
  const items = value.split(',');
  const wrong = items.find((item) => !(choices as readonly string[]).includes(item));
  if (value === '' || wrong !== undefined) refuse(line, `${name} takes a comma-separated list of ${choices.join(', ')}, not '${value}'`);
  return items as T[];
}

/** The command line the single-part benchmarks share: [--reps N] [--json]. */
export interface BenchArguments {
  reps: number;
  json: boolean;
}

export function parseBenchArguments(script: string, argv: string[], defaultReps: number): BenchArguments {
  const line = { script, usage: '[--reps N] [--json]', options: { reps: { type: 'string' }, json: { type: 'boolean', default: false } } } as const;
  const { values } = parseCommandLine(line, argv);
  return { reps: values.reps === undefined ? defaultReps : positiveInteger(line, '--reps', values.reps), json: values.json };
}
