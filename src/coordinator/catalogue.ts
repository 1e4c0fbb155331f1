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
import { toModuleUrl } from '../load-module.js';
import { loadUserModule, userFileProblem } from '../user-code.js';
import { packageRoot } from '../package-info.js';
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

/**
 * Built-in scenarios run compiled whenever `npm run build` has made them, even
 * when this coordinator runs from source under the test runner: workers then start
 * without compiling TypeScript. Only an unbuilt checkout falls back to the sources.
 */
const RUNNING_FROM_SOURCE = import.meta.url.endsWith('.ts') && !existsSync(join(packageRoot(), 'dist', 'scenarios'));

const scenarioFolder = (): string => (RUNNING_FROM_SOURCE ? join(packageRoot(), 'scenarios') : join(packageRoot(), 'dist', 'scenarios'));
const SCENARIO_EXTENSION = RUNNING_FROM_SOURCE ? '.ts' : '.js';

/** The file of a built-in scenario: its compiled module, or its source under the test runner. */
export function builtInScenarioFile(name: string): string {
  return join(scenarioFolder(), `${name}${SCENARIO_EXTENSION}`);
}

/**
 * Every built-in scenario's name: the race-condition catalogue first, then any
 * other scenario module in the scenarios folder (e.g. the GIL scenarios), by name.
 */
export function builtInScenarioNames(): string[] {
  const files = existsSync(scenarioFolder()) ? readdirSync(scenarioFolder()) : [];
  const others = files
    .filter((file) => file.endsWith(SCENARIO_EXTENSION) && !file.endsWith('.d.ts'))
    .map((file) => basename(file, SCENARIO_EXTENSION))
    .filter((name) => !(BUILT_IN_SCENARIOS as readonly string[]).includes(name))
    .sort();
  return [...BUILT_IN_SCENARIOS, ...others];
}

/** Whether the argument of `memplay run` names a file rather than a built-in scenario. */
export function looksLikePath(argument: string): boolean {
  return /[/\\]/.test(argument) || /\.(ts|mts|js|mjs)$/.test(argument);
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
  const problem = userFileProblem(file);
  if (problem !== undefined) throw new ScenarioError(`scenario ${problem}`);
  const scenario = (await loadUserModule(file)).default;
  if (!isScenario(scenario)) {
    throw new ScenarioError(`${file} does not export a scenario: it needs 'export default defineScenario({...})'`);
  }
  return { scenario, moduleUrl: toModuleUrl(file) };
}

/** Every built-in scenario, loaded, or the reason it could not be (for `memplay list`). */
export async function loadCatalogue(): Promise<(LoadedScenario | { name: string; error: string })[]> {
  return Promise.all(
    builtInScenarioNames().map((name) =>
      loadScenario(name).catch((error: unknown) => ({ name, error: error instanceof Error ? error.message : String(error) })),
    ),
  );
}
