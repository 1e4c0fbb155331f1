/*
 * Where stress targets come from: the built-in ones in src/stress/targets (their
 * compiled form under dist/ whenever it is built, the TypeScript only in an
 * unbuilt checkout), or a user's file
 * given by path. Loading checks that the default export is a stress target and
 * that the run's worker count suits it, so every mistake is clear before any
 * thread starts: a StressError for the command line's (no such target or file,
 * not a target), a UserCodeError, with its line and column, for a file that does
 * not compile or raises while it loads.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDefinition } from '../harness/definition.js';
import { toModuleUrl } from '../harness/load-module.js';
import { compiledWhenBuilt, looksLikePath } from '../harness/module-finder.js';
import { isStressTarget, type StressTarget } from './define-target.js';
import { StressError } from './stress-error.js';

/** The built-in targets, in the order `memplay stress all` runs them. */
export const BUILT_IN_TARGETS = ['lock', 'rlock', 'semaphore', 'bounded-semaphore', 'condition', 'event', 'barrier'] as const;

export interface LoadedTarget {
  readonly target: StressTarget;
  /** The module's file URL, which the workers import too. */
  readonly moduleUrl: string;
}

/** A built-in target's module, compiled whenever it is built (so its workers need not compile TypeScript). */
function builtInTargetUrl(name: string): string {
  return compiledWhenBuilt(import.meta.url, `./targets/${name}`);
}

/** The targets an argument of `memplay stress` names: one built-in, all of them, or a file. */
export async function loadTargets(argument: string): Promise<LoadedTarget[]> {
  if (argument === 'all') return Promise.all(BUILT_IN_TARGETS.map((name) => loadTarget(builtInTargetUrl(name))));
  if (looksLikePath(argument)) return [await loadTarget(toModuleUrl(resolve(argument)))];
  if (!(BUILT_IN_TARGETS as readonly string[]).includes(argument)) {
    throw new StressError(`unknown stress target '${argument}' (one of ${BUILT_IN_TARGETS.join(', ')}, all, or the path of a target file)`);
  }
  return [await loadTarget(builtInTargetUrl(argument))];
}

async function loadTarget(moduleUrl: string): Promise<LoadedTarget> {
  const target = await loadDefinition(fileURLToPath(moduleUrl), TARGET_FILES);
  return { target, moduleUrl };
}

const TARGET_FILES = {
  noun: 'stress target',
  needs: 'export default defineStressTarget({...})',
  is: isStressTarget,
  usageError: (message: string) => new StressError(message),
};
