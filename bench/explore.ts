/*
 * npm run bench:explore: what the schedule explorer (src/explorer) costs.
 *
 *   throughput    schedules/s and steps/s of a complete dfs search at K=2 of
 *                 lost-update (racy and fixed, 2 workers x 2 iterations) and of
 *                 producer-consumer's fixed variant (2 workers x 2 iterations),
 *                 worker start excluded (the figures are over the search alone),
 *                 each search run PASSES times on fresh crews and the figures
 *                 summed (lost-update's searches take a few hundredths of a second)
 *   first witness seconds from the start (worker start included) to the first
 *                 schedule with an outcome that is not ACCEPTABLE, per racy variant
 *   verify        seconds to verify each fixed variant at K=2 (worker start included)
 *
 * The machine's 1-minute load average is printed beside each table: on a loaded
 * machine every figure drops. Targets (issue 13): the lost-update witness under
 * 1 s with worker start, at least 20,000 steps/s, every fixed variant under 30 s.
 *
 * Usage: node dist/bench/explore.js [--time SECONDS] [--throughput] [--json]
 *   --time: per variant, default 30; --throughput: the throughput table alone
 */
import { loadavg } from 'node:os';
import { parseCommandLine, positiveInteger } from './lib/arguments.js';
import { loadScenario, BUILT_IN_SCENARIOS } from '../src/coordinator/catalogue.js';
import { exploreVariant, type Exploration } from '../src/explorer/explore.js';
import { exploredParams, exploreWorkers } from '../src/explorer/run-adapter.js';
import { textTable } from '../src/text/table.js';

const commandLine = {
  script: 'bench/explore',
  usage: 'node dist/bench/explore.js [--time SECONDS] [--throughput] [--json]',
  options: { time: { type: 'string', default: '30' }, throughput: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
} as const;
const { values } = parseCommandLine(commandLine, process.argv.slice(2));
const seconds = positiveInteger(commandLine, '--time', values.time as string, 3600);

async function explore(name: string, variant: string, workers?: number): Promise<Exploration> {
  const loaded = await loadScenario(name);
  const params = exploredParams(loaded.scenario, { workers: workers ?? exploreWorkers(loaded.scenario, variant), iterations: 2 }, variant);
  return exploreVariant({ ...loaded, variant, params, seed: 0 }, { strategy: 'dfs', preemptions: 2, depth: 3, schedules: 1_000_000, seconds });
}

const load = () => `1-minute load average ${loadavg()[0].toFixed(2)}`;
const results: Record<string, unknown> = {};

// Throughput over the search alone (every schedule run, those cut short as equivalent included).
const PASSES = 5;
const throughputRows: string[][] = [];
for (const [name, variant] of [['lost-update', 'racy'], ['lost-update', 'fixed'], ['producer-consumer', 'fixed']] as const) {
  const total = { schedules: 0, steps: 0, searchSeconds: 0, seconds: 0 };
  for (let pass = 0; pass < PASSES; pass++) {
    const e = await explore(name, variant, 2);
    total.schedules += e.schedules + e.abandoned;
    total.steps += e.steps;
    total.searchSeconds += e.searchSeconds;
    total.seconds += e.seconds;
  }
  const { schedules, steps, searchSeconds, seconds } = total;
  throughputRows.push([`${name} / ${variant}`, String(schedules), String(steps), (schedules / searchSeconds).toFixed(0), (steps / searchSeconds).toFixed(0), searchSeconds.toFixed(2), seconds.toFixed(2)]);
  results[`throughput ${name}/${variant}`] = { passes: PASSES, ...total };
}
const throughputLoad = load();

const witnessRows: string[][] = [];
const verifyRows: string[][] = [];
for (const name of values.throughput ? [] : BUILT_IN_SCENARIOS) {
  const loaded = await loadScenario(name);
  for (const variant of Object.keys(loaded.scenario.variants)) {
    const e = await explore(name, variant);
    const first = e.outcomes.filter((o) => o.classification !== 'ACCEPTABLE').sort((a, b) => a.firstSeconds - b.firstSeconds)[0];
    if (variant === 'racy') witnessRows.push([name, first?.outcome ?? '(none found)', first === undefined ? '-' : first.firstSeconds.toFixed(2), String(e.schedules), (e.steps / e.seconds).toFixed(0)]);
    else verifyRows.push([`${name} / ${variant}`, e.verified ? 'verified' : e.forbidden ? 'FORBIDDEN found' : e.cutShort !== null ? `cut short (${e.cutShort})` : 'not verified', String(e.schedules), e.seconds.toFixed(2), (e.steps / e.seconds).toFixed(0)]);
    results[`${name}/${variant}`] = { verified: e.verified, forbidden: e.forbidden, schedules: e.schedules, steps: e.steps, seconds: e.seconds, firstWitness: first?.firstSeconds ?? null, cutShort: e.cutShort };
  }
}

if (values.json) {
  process.stdout.write(`${JSON.stringify({ loadAverage: loadavg(), results }, null, 2)}\n`);
} else {
  process.stdout.write(`throughput, dfs K=2, 2 workers x 2 iterations, over the search alone, ${PASSES} searches each (${throughputLoad})\n`);
  process.stdout.write(`${textTable(['search', 'schedules', 'steps', 'schedules/s', 'steps/s', 'search s', 'with start s'], throughputRows)}\n`);
}
if (!values.json && !values.throughput) {
  process.stdout.write('\n');
  process.stdout.write(`time to the first witness, racy variants, worker start included (${load()})\n`);
  process.stdout.write(`${textTable(['scenario', 'outcome', 'seconds', 'schedules', 'steps/s'], witnessRows)}\n\n`);
  process.stdout.write(`time to verify at K=2, worker start included (limit ${seconds} s each; ${load()})\n`);
  process.stdout.write(`${textTable(['variant', 'verdict', 'schedules', 'seconds', 'steps/s'], verifyRows)}\n`);
}
