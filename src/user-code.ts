/*
 * Calling into a user's file (a scenario or a stress target) from memplay's side:
 * whatever the file's code raises, or a wrong shape it returns, comes back as
 * the file's UserCodeError, with its own frames, never as memplay's internal
 * failure. Python's counterpart: the interpreter reporting an exception in the
 * user's module with the user's traceback.
 */
import { loadModule } from './load-module.js';
import { UserCodeError } from './user-code-error.js';

/** Loads a user's module; a file that does not compile or raises while it loads is its UserCodeError. */
export async function loadUserModule(file: string): Promise<Record<string, unknown>> {
  try {
    return await loadModule(file);
  } catch (error) {
    throw UserCodeError.from(file, 'loading the file', error);
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
