/*
 * `memplay explore script.py [args...]`: the explorer's target for a Python
 * script (script-scenario.ts), made after the checks a run makes: the script can
 * be read, and the installation's interpreter snapshot exists (made now if not),
 * which every explored process starts from.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { ExploreTarget } from '../explorer/run-adapter.js';
import { readScript } from './run-command.js';
import { ensureSavedSnapshot } from './run-script.js';
import { SCRIPT_VARIANT, scriptScenario } from './script-scenario.js';

export { SCRIPT_WORKERS } from './script-scenario.js';
export { ScriptFileError } from './run-command.js';

/** The target exploring `path` with `argv`, at most `workers` processes per schedule; a script that cannot be read is a ScriptFileError. */
export async function scriptExploreTarget(path: string, argv: readonly string[], workers: number, seed: number): Promise<ExploreTarget> {
  readScript(path);
  await ensureSavedSnapshot();
  const script = { path, argv, workers };
  const scenario = scriptScenario(script);
  return { scenario, moduleUrl: pathToFileURL(resolve(path)).href, variant: SCRIPT_VARIANT, params: scenario.params, seed, script };
}
