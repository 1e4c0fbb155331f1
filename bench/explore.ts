/*
 * npm run bench:explore: what the schedule explorer (src/explorer) costs.
 *
 *   throughput    schedules/s and steps/s of a complete dfs search at K=2 of
 *                 lost-update (racy and fixed, 2 workers x 2 iterations) and of
 *                 producer-consumer's fixed variant (2 workers x 2 iterations),
 *                 worker start excluded (the figures are over the search alone):
 *                 cold: each search run COLD_PASSES times on fresh crews, as one
 *                   `memplay explore` runs it, and the figures summed (a
 *                   lost-update search takes a few hundredths of a second, most
 *                   of it before V8 has compiled the code it runs);
 *                 warm: the same search again and again on one crew, as a long
 *                   search runs after its first few thousand schedules (the
 *                   workers' code takes that long to be optimized): the steps/s
 *                   of WARM_PASSES searches, median [min-max], after
 *                   WARM_UP_SCHEDULES schedules of warm-up (or WARM_UP_SECONDS),
 *                   not counted
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
import { exploreVariant, openExplorer, type Exploration, type ExploreOptions } from '../src/explorer/explore.js';
import { exploredParams, exploreWorkers, type ExploreTarget } from '../src/explorer/run-adapter.js';
import { textTable } from '../src/text/table.js';
import { spread } from './lib/spread.js';

const commandLine = {
  script: 'bench/explore',
  usage: 'node dist/bench/explore.js [--time SECONDS] [--throughput] [--json]',
  options: { time: { type: 'string', default: '30' }, throughput: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
} as const;
const { values } = parseCommandLine(commandLine, process.argv.slice(2));
const seconds = positiveInteger(commandLine, '--time', values.time as string, 3600);

const SEARCH: ExploreOptions = { strategy: 'dfs', preemptions: 2, depth: 3, schedules: 1_000_000, seconds };

async function targetOf(name: string, variant: string, workers?: number): Promise<ExploreTarget> {
  const loaded = await loadScenario(name);
  const params = exploredParams(loaded.scenario, { workers: workers ?? exploreWorkers(loaded.scenario, variant), iterations: 2 }, variant);
  return { ...loaded, variant, params, seed: 0 };
}

async function explore(name: string, variant: string, workers?: number): Promise<Exploration> {
  return exploreVariant(await targetOf(name, variant, workers), SEARCH);
}

/** Steps/s of WARM_PASSES searches on one crew, after WARM_UP_SCHEDULES schedules of the same search (or WARM_UP_SECONDS of them). */
async function warmStepsPerSecond(name: string, variant: string): Promise<{ samples: number[]; warmedUp: number }> {
  const explorer = await openExplorer(await targetOf(name, variant, 2));
  try {
    const warmUpEnds = performance.now() + WARM_UP_SECONDS * 1000;
    let warmedUp = 0;
    while (warmedUp < WARM_UP_SCHEDULES && performance.now() < warmUpEnds) {
      const e = explorer.explore(SEARCH);
      warmedUp += e.schedules + e.abandoned;
    }
    const samples = Array.from({ length: WARM_PASSES }, () => {
      const e = explorer.explore(SEARCH);
      return e.steps / e.searchSeconds;
    });
    return { samples, warmedUp };
  } finally {
    await explorer.close();
  }
}

const load = () => `1-minute load average ${loadavg()[0].toFixed(2)}`;
const results: Record<string, unknown> = {};

// Throughput over the search alone (every schedule run, those cut short as equivalent included).
const COLD_PASSES = 5;
const WARM_UP_SCHEDULES = 3000;
const WARM_UP_SECONDS = 15;
const WARM_PASSES = 20;
const TARGET_STEPS_PER_SECOND = 20_000;
const throughputRows: string[][] = [];
for (const [name, variant] of [['lost-update', 'racy'], ['lost-update', 'fixed'], ['producer-consumer', 'fixed']] as const) {
  const total = { schedules: 0, steps: 0, searchSeconds: 0, seconds: 0 };
  for (let pass = 0; pass < COLD_PASSES; pass++) {
    const e = await explore(name, variant, 2);
    total.schedules += e.schedules + e.abandoned;
    total.steps += e.steps;
    total.searchSeconds += e.searchSeconds;
    total.seconds += e.seconds;
  }
  const { schedules, steps, searchSeconds, seconds } = total;
  const { samples, warmedUp } = await warmStepsPerSecond(name, variant);
  const warm = spread(samples);
  throughputRows.push([
    `${name} / ${variant}`,
    String(schedules / COLD_PASSES),
    String(steps / COLD_PASSES),
    (schedules / searchSeconds).toFixed(0),
    (steps / searchSeconds).toFixed(0),
    (searchSeconds / COLD_PASSES).toFixed(3),
    (seconds / COLD_PASSES).toFixed(2),
    `${warm.median.toFixed(0)} [${warm.min.toFixed(0)}-${warm.max.toFixed(0)}]`,
    warm.median >= TARGET_STEPS_PER_SECOND ? 'met' : 'missed',
  ]);
  results[`throughput ${name}/${variant}`] = { coldPasses: COLD_PASSES, ...total, warmStepsPerSecond: warm, warmUpSchedules: warmedUp };
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
  process.stdout.write(`throughput, dfs K=2, 2 workers x 2 iterations, over the search alone (${throughputLoad})\n`);
  process.stdout.write(`  cold: ${COLD_PASSES} searches, each on a fresh crew as one \`memplay explore\` runs it, summed (per search: schedules, steps, seconds)\n`);
  process.stdout.write(`  warm: steps/s of ${WARM_PASSES} searches on one crew after ${WARM_UP_SCHEDULES}+ schedules (at most ${WARM_UP_SECONDS} s) of warm-up, median [min-max]; target ${TARGET_STEPS_PER_SECOND} steps/s\n`);
  process.stdout.write(`${textTable(['search', 'schedules', 'steps', 'cold schedules/s', 'cold steps/s', 'search s', 'with start s', 'warm steps/s', 'target'], throughputRows)}\n`);
}
if (!values.json && !values.throughput) {
  process.stdout.write('\n');
  process.stdout.write(`time to the first witness, racy variants, worker start included (${load()})\n`);
  process.stdout.write(`${textTable(['scenario', 'outcome', 'seconds', 'schedules', 'steps/s'], witnessRows)}\n\n`);
  process.stdout.write(`time to verify at K=2, worker start included (limit ${seconds} s each; ${load()})\n`);
  process.stdout.write(`${textTable(['variant', 'verdict', 'schedules', 'seconds', 'steps/s'], verifyRows)}\n`);
}
