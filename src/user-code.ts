/*
 * Calling into a user's file (a scenario or a stress target) from memplay's side:
 * whatever the file's code raises, or a wrong shape it returns, comes back as
 * the file's UserCodeError, with its own frames, never as memplay's internal
 * failure. Python's counterpart: the interpreter reporting an exception in the
 * user's module with the user's traceback.
 */
import { statSync } from 'node:fs';
import { extname } from 'node:path';
import { callWithin, CallTimedOut } from './harness/call-within.js';
import { loadModule } from './harness/load-module.js';
import { UserCodeError } from './user-code-error.js';

const MODULE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

/** Why `file` cannot be a user's module (a usage mistake, said before anything loads), or undefined when it can. */
export function userFileProblem(file: string): string | undefined {
  const stats = statSync(file, { throwIfNoEntry: false });
  if (stats === undefined) return `file not found: ${file}`;
  if (stats.isDirectory()) return `${file} is a directory, not a file`;
  if (!MODULE_EXTENSIONS.includes(extname(file))) return `${file} is not a TypeScript or JavaScript module (${MODULE_EXTENSIONS.join(', ')})`;
  return undefined;
}

/** Loads a user's module; a file that does not compile or raises while it loads is its UserCodeError. */
export async function loadUserModule(file: string): Promise<Record<string, unknown>> {
  try {
    return await loadModule(file);
  } catch (error) {
    throw UserCodeError.from(file, 'loading the file', error);
  }
}

/**
 * Runs `call`, code of `file` described by `what`, for at most `seconds`: running
 * longer is the file's UserCodeError, which ends the command (see call-within.ts);
 * what it raises propagates as it is.
 */
export function callUserCodeWithin<T>(file: string, what: string, seconds: number, call: () => T): T {
  try {
    return callWithin(seconds, call);
  } catch (error) {
    if (error instanceof CallTimedOut) throw UserCodeError.from(file, what, error);
    throw error;
  }
}

/** Runs `call`, code of `file` described by `what` ("setup", "the judge"); what it raises becomes the file's UserCodeError. */
export function callUserCode<T>(file: string, what: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw UserCodeError.from(file, what, error);
  }
}
