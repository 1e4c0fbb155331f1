/*
 * The engines behind the commands, loaded when a command's action runs, not when
 * the CLI starts: registering every command (and so `memplay --help`, or a
 * `memplay run` that needs only the coordinator) then costs the command line's own
 * modules, not every engine's. Each loader is one dynamic import() of what its
 * commands call; Node caches modules, so a second call costs nothing.
 */

/** The scenario coordinator (run, tour, list). */
export async function loadCoordinator() {
  const [catalogue, runScenario, reportText, scenarioError, prng] = await Promise.all([
    import('../coordinator/catalogue.js'),
    import('../coordinator/run-scenario.js'),
    import('../coordinator/report-text.js'),
    import('../coordinator/scenario-error.js'),
    import('../coordinator/prng.js'),
  ]);
  return { ...catalogue, ...runScenario, ...reportText, ...scenarioError, ...prng };
}

/** The schedule explorer (explore, stress --explore). */
export async function loadExplorer() {
  const [explore, reportText, scheduleId, strategies, stressTargets, runAdapter] = await Promise.all([
    import('../explorer/explore.js'),
    import('../explorer/report-text.js'),
    import('../explorer/schedule-id.js'),
    import('../explorer/strategies.js'),
    import('../explorer/target-stress.js'),
    import('../explorer/run-adapter.js'),
  ]);
  return { ...explore, ...reportText, ...scheduleId, ...stressTargets, ReplayMismatch: strategies.ReplayMismatch, exploredParams: runAdapter.exploredParams, exploreWorkers: runAdapter.exploreWorkers };
}

/** The stress runner (stress). */
export async function loadStressRunner() {
  const [runner, reportText, stressError, targets, prng, progress] = await Promise.all([
    import('../stress/runner.js'),
    import('../stress/report-text.js'),
    import('../stress/stress-error.js'),
    import('../stress/target-catalogue.js'),
    import('../coordinator/prng.js'),
    import('cli-progress'),
  ]);
  return { ...runner, ...reportText, ...stressError, ...targets, ...prng, cliProgress: progress.default };
}

/** The GIL lab (gil): its modes, the convoy, python3's figures, the reading of them. */
export async function loadGilLab() {
  const [lab, convoy, cpython, machineLoad, reading] = await Promise.all([
    import('../gil/lab.js'),
    import('../gil/convoy.js'),
    import('../gil/cpython.js'),
    import('../gil/machine-load.js'),
    import('../gil/reading.js'),
  ]);
  return { ...lab, ...convoy, ...cpython, ...machineLoad, ...reading };
}

/** The memory model's demos (sim). */
export async function loadMemoryModel() {
  const [demos, mallocStats] = await Promise.all([import('../pymem/demos.js'), import('../pymem/malloc-stats.js')]);
  return { ...demos, ...mallocStats };
}

/** The Python script runner (run script.py). */
export async function loadPythonRunner() {
  return import('../python/run-command.js');
}

/** The Python script explorer's target (explore script.py). */
export async function loadPythonExplorer() {
  return import('../python/explore-command.js');
}
