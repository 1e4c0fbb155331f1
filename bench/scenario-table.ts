/*
 * The scenario table of `npm run bench`: `memplay run <scenario>` for every built-in
 * scenario with its default parameters, process start to exit, median [min-max]
 * over the repetitions, with the median of each phase (lib/scenario-wall.ts: CLI
 * start-up, worker start, runs, report) and issue 16's target, 2 s or less.
 * The scenarios take turns within each repetition, as the rows of the main table do.
 */
import { builtInScenarioNames } from '../src/coordinator/catalogue.js';
import { textTable } from '../src/text/table.js';
import { scenarioWall, SCENARIO_PHASES, type ScenarioWall } from './lib/scenario-wall.js';
import { spread, type Spread } from './lib/spread.js';

/** Issue 16: every built-in scenario's `memplay run` within this many seconds, wall. */
export const SCENARIO_TARGET_SECONDS = 2;

export interface ScenarioRow {
  scenario: string;
  /** null when every run failed (see the notes). */
  total: Spread | null;
  /** Median seconds of each phase. */
  phases: Record<(typeof SCENARIO_PHASES)[number], number> | null;
  met: boolean | null;
}

const median = (values: number[]) => spread(values).median;

export async function runScenarioTable(reps: number, notes: Set<string>): Promise<ScenarioRow[]> {
  const names = builtInScenarioNames();
  const measured = new Map<string, ScenarioWall[]>(names.map((name) => [name, []]));
  for (let rep = 0; rep < reps; rep++) {
    for (const name of names) {
      try {
        measured.get(name)!.push(await scenarioWall(name));
      } catch (error) {
        notes.add(`scenario ${name}: ${(error as Error).message}`);
      }
    }
  }
  return names.map((scenario) => {
    const walls = measured.get(scenario)!;
    if (walls.length === 0) return { scenario, total: null, phases: null, met: null };
    const total = spread(walls.map((wall) => wall.total));
    const phases = Object.fromEntries(SCENARIO_PHASES.map((phase) => [phase, median(walls.map((wall) => wall[phase]))])) as ScenarioRow['phases'];
    return { scenario, total, phases, met: total.median <= SCENARIO_TARGET_SECONDS };
  });
}

const seconds = (value: number) => value.toFixed(2);

export function formatScenarioTable(rows: ScenarioRow[], reps: number): string {
  const table = textTable(
    ['memplay run <scenario>', 'wall s', 'CLI start-up', 'worker start', 'runs', 'report', `<= ${SCENARIO_TARGET_SECONDS} s`],
    rows.map((row) => [
      row.scenario,
      row.total === null ? 'failed' : `${seconds(row.total.median)} [${seconds(row.total.min)}-${seconds(row.total.max)}]`,
      ...SCENARIO_PHASES.map((phase) => (row.phases === null ? '-' : seconds(row.phases[phase]))),
      row.met === null ? 'not measured' : row.met ? 'met' : 'MISSED',
    ]),
  );
  const met = rows.filter((row) => row.met === true).length;
  return [
    `scenario wall time: default parameters, process start to exit, median [min-max] over ${reps} repetitions; phases are medians`,
    table,
    `${met}/${rows.length} scenarios within ${SCENARIO_TARGET_SECONDS} s`,
  ].join('\n');
}
