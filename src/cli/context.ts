/*
 * What every CLI command receives: the global options (--json, --log-level), the
 * logger, and one way to write a result, so that stdout carries either the human
 * rendering or a single JSON document, never both and never logs.
 */
import type { Command } from 'commander';
import { createLogger, type Logger, type LogLevel } from './logger.js';

export interface GlobalOptions {
  json: boolean;
  logLevel: LogLevel;
}

export class CliContext {
  readonly json: boolean;
  readonly log: Logger;

  constructor(options: GlobalOptions) {
    this.json = options.json;
    this.log = createLogger(options.logLevel);
  }

  /** The context of the command being run: its global options merged from any level. */
  static of(command: Command): CliContext {
    return new CliContext(command.optsWithGlobals<GlobalOptions>());
  }

  /** Writes a result: `data` as JSON with --json, otherwise the text `render` makes of it. */
  emit<T>(data: T, render: (data: T) => string): void {
    const text = this.json ? JSON.stringify(data, jsonReplacer, 2) : render(data);
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}

/** BigInts (64-bit typecodes) are written as JSON numbers when exact, else as strings. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value !== 'bigint') return value;
  return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
}
