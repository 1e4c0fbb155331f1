/*
 * Where scenarios come from: the built-in catalogue in scenarios/ (compiled to
 * dist/scenarios, or the TypeScript itself when the coordinator runs from src
 * under the test runner), or a user's file given by path. Loading checks that
 * the module's default export is a scenario, so every mistake is a clear
 * ScenarioError rather than a failure inside a worker.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadModule, toModuleUrl } from '../load-module.js';
import { packageRoot } from '../package-info.js';
import { isScenario, type Scenario } from './define-scenario.js';
import { ScenarioError } from './scenario-error.js';

/** The built-in scenarios, in the order `memplay list` shows them. */
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

const RUNNING_FROM_SOURCE = import.meta.url.endsWith('.ts');

/** The file of a built-in scenario: its compiled module, or its source under the test runner. */
export function builtInScenarioFile(name: string): string {
  return RUNNING_FROM_SOURCE ? join(packageRoot(), 'scenarios', `${name}.ts`) : join(packageRoot(), 'dist', 'scenarios', `${name}.js`);
}

/** Whether the argument of `memplay run` names a file rather than a built-in scenario. */
export function looksLikePath(argument: string): boolean {
  return /[/\\]/.test(argument) || /\.(ts|mts|js|mjs)$/.test(argument);
}

/** Loads a built-in scenario by name, or a scenario file by path. */
export async function loadScenario(nameOrPath: string): Promise<LoadedScenario> {
  if (looksLikePath(nameOrPath)) return loadScenarioFile(resolve(nameOrPath));
  if (!(BUILT_IN_SCENARIOS as readonly string[]).includes(nameOrPath)) {
    throw new ScenarioError(`unknown scenario '${nameOrPath}' (see 'memplay list', or give the path of a scenario file)`);
  }
  return loadScenarioFile(builtInScenarioFile(nameOrPath));
}

async function loadScenarioFile(file: string): Promise<LoadedScenario> {
  if (!existsSync(file)) throw new ScenarioError(`scenario file not found: ${file}`);
  let namespace: Record<string, unknown>;
  try {
    namespace = await loadModule(file);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ScenarioError(`cannot load scenario file ${file}: ${reason}`);
  }
  const scenario = namespace.default;
  if (!isScenario(scenario)) {
    throw new ScenarioError(`${file} does not export a scenario: it needs 'export default defineScenario({...})'`);
  }
  return { scenario, moduleUrl: toModuleUrl(file) };
}

/** Every built-in scenario, loaded (for `memplay list` and the tour). */
export async function loadCatalogue(): Promise<LoadedScenario[]> {
  return Promise.all(BUILT_IN_SCENARIOS.map((name) => loadScenario(name)));
}
