/*
 * A mistake in what was asked of the coordinator: an unknown scenario or variant,
 * a file that does not exist or does not export a scenario, parameters outside
 * what the scenario allows. The CLI reports it as a usage error (one line, exit 2).
 */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}
