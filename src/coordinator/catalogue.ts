/*
 * Where scenarios come from: the built-in catalogue in scenarios/ (compiled to
 * dist/scenarios, or the TypeScript itself when the coordinator runs from src
 * under the test runner), or a user's file given by path. Loading checks that
 * the module's default export is a scenario, so every mistake is clear before a
 * worker starts: a name or path that leads nowhere, or a file that exports no
 * scenario, is a ScenarioError (the command line's mistake); a file that does
 * not compile or raises while it loads (defineScenario's checks included) is a
 * UserCodeError, with the file's line and column.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { loadDefinition } from '../harness/definition.js';
import { toModuleUrl } from '../harness/load-module.js';
import { looksLikePath, moduleFolder } from '../harness/module-finder.js';
import { isScenario, type Scenario } from './define-scenario.js';
import { ScenarioError } from './scenario-error.js';

/** The race-condition catalogue, in the order `memplay list` shows it first. */
export const BUILT_IN_SCENARIOS = [
  'lost-update',
  'synchronized-value-trap',
  'check-then-act',
  'array-sum',
  'torn-read',
  'producer-consumer',
  'lost-wakeup',
  'deadlock-dining-philosophers',
  'double-init',
  'barrier-phases',
  'mmap-ipc',
  'readers-writers',
] as const;

export interface LoadedScenario {
  readonly scenario: Scenario;
  /** The module's file URL, which the workers import too. */
  readonly moduleUrl: string;
}

/** Built-in scenarios run compiled whenever `npm run build` has made them, even under the test runner (module-finder.ts). */
const SCENARIOS = moduleFolder(import.meta.url, '../../scenarios/');

/** The file of a built-in scenario: its compiled module, or its source under the test runner. */
export function builtInScenarioFile(name: string): string {
  return join(SCENARIOS.path, `${name}${SCENARIOS.extension}`);
}

/**
 * Every built-in scenario's name: the race-condition catalogue first, then any
 * other scenario module in the scenarios folder (e.g. the GIL scenarios), by name.
 */
export function builtInScenarioNames(): string[] {
  const files = existsSync(SCENARIOS.path) ? readdirSync(SCENARIOS.path) : [];
  const others = files
    .filter((file) => file.endsWith(SCENARIOS.extension) && !file.endsWith('.d.ts'))
    .map((file) => basename(file, SCENARIOS.extension))
    .filter((name) => !(BUILT_IN_SCENARIOS as readonly string[]).includes(name))
    .sort();
  return [...BUILT_IN_SCENARIOS, ...others];
}

/** Loads a built-in scenario by name, or a scenario file by path. */
export async function loadScenario(nameOrPath: string): Promise<LoadedScenario> {
  if (looksLikePath(nameOrPath)) return loadScenarioFile(resolve(nameOrPath));
  if (!builtInScenarioNames().includes(nameOrPath)) {
    throw new ScenarioError(`unknown scenario '${nameOrPath}' (see 'memplay list', or give the path of a scenario file)`);
  }
  return loadScenarioFile(builtInScenarioFile(nameOrPath));
}

async function loadScenarioFile(file: string): Promise<LoadedScenario> {
  const scenario = await loadDefinition(file, SCENARIO_FILES);
  return { scenario, moduleUrl: toModuleUrl(file) };
}

const SCENARIO_FILES = {
  noun: 'scenario',
  needs: 'export default defineScenario({...})',
  is: isScenario,
  usageError: (message: string) => new ScenarioError(message),
};

/** Every built-in scenario, loaded, or the reason it could not be (for `memplay list`). */
export async function loadCatalogue(): Promise<(LoadedScenario | { name: string; error: string })[]> {
  return Promise.all(
    builtInScenarioNames().map((name) =>
      loadScenario(name).catch((error: unknown) => ({ name, error: error instanceof Error ? error.message : String(error) })),
    ),
  );
}
