/*
 * The human rendering of a scenario report: per variant, expected against
 * observed for each run, what hung and who waited on what, the jcstress-style
 * outcome table (outcome, count, share, classification) and the time taken;
 * then the explanation and a one-line verdict. Classifications are printed in the
 * scenario's own words where it has a vocabulary (a demonstration that is not a race).
 */
import type { ScenarioParams, Vocabulary } from './define-scenario.js';
import type { Classification } from './outcome.js';
import type { RunReport, VariantReport } from './run-variant.js';
import type { ScenarioReport } from './run-scenario.js';
import { tableLines } from '../text/table.js';
import { counted } from '../text/counted.js';

/** Runs listed one by one under a variant; the table covers all of them. */
const RUNS_SHOWN = 5;

export function formatScenarioHeader(report: Pick<ScenarioReport, 'scenario' | 'summary' | 'params' | 'seed'>): string {
  const { workers, iterations, repeat, timeout } = report.params;
  return [
    `${report.scenario}: ${report.summary}`,
    `${counted(workers, 'worker')}, ${counted(iterations, 'iteration')}, ${counted(repeat, 'run')} per variant, timeout ${timeout} s, seed ${report.seed}`,
  ].join('\n');
}

/** The variant's parameters that differ from the scenario's, e.g. " [iterations 50000]". */
function paramsOfVariant(variant: VariantReport, scenarioParams?: ScenarioParams): string {
  if (scenarioParams === undefined) return '';
  const differing = Object.entries(variant.params).filter(([key, value]) => scenarioParams[key] !== value);
  return differing.length === 0 ? '' : ` [${differing.map(([key, value]) => `${key} ${value}`).join(', ')}]`;
}

/** The word the report prints for a classification: the scenario's own, or the classification. */
export function wordFor(classification: Classification, vocabulary: Vocabulary = {}): string {
  return vocabulary[classification] ?? classification;
}

export function formatVariant(variant: VariantReport, scenarioParams?: ScenarioParams, vocabulary?: Vocabulary): string {
  const lines = [`${variant.name}: ${variant.summary}${paramsOfVariant(variant, scenarioParams)}  (${variant.seconds.toFixed(2)} s)`];
  if (variant.python !== undefined) lines.push(...variant.python.split('\n').map((line) => `    ${line}`));
  const expected = variant.runs.find((run) => run.expected !== undefined)?.expected;
  if (expected !== undefined) lines.push(`  expected  ${expected}`);
  variant.runs.slice(0, RUNS_SHOWN).forEach((run) => lines.push(...formatRun(run, vocabulary)));
  if (variant.runs.length > RUNS_SHOWN) lines.push(`  ... and ${variant.runs.length - RUNS_SHOWN} more runs`);
  lines.push(...formatTable(variant, vocabulary).map((line) => `  ${line}`));
  return lines.join('\n');
}

function formatRun(run: RunReport, vocabulary?: Vocabulary): string[] {
  const lines = [`  run ${run.repeat + 1}: ${run.observed}  [${wordFor(run.classification, vocabulary)}, ${run.seconds.toFixed(2)} s]`];
  for (const wait of run.hang?.waits ?? []) lines.push(`      ${wait}`);
  return lines;
}

function formatTable(variant: VariantReport, vocabulary?: Vocabulary): string[] {
  const header = ['outcome', 'count', 'share', 'classification', ''];
  const rows = variant.table.map((row) => [row.outcome, String(row.count), `${Math.round(row.share * 100)}%`, wordFor(row.classification, vocabulary), row.description]);
  return tableLines(header, rows, { left: [0, 3, 4], rule: false });
}

/** The order classifications are counted in the verdict: the effect shown first, then the rest. */
const VERDICT_ORDER: readonly Classification[] = ['INTERESTING', 'ACCEPTABLE', 'FORBIDDEN'];

/** One line: per variant, how many runs got each classification ("racy: 3/5 INTERESTING, 2/5 ACCEPTABLE"). */
export function formatVerdict(report: ScenarioReport): string {
  const parts = report.variants.map((variant) => {
    const counts = VERDICT_ORDER.map((classification) => ({
      classification,
      count: variant.table.filter((row) => row.classification === classification).reduce((sum, row) => sum + row.count, 0),
    })).filter(({ count }) => count > 0);
    return `${variant.name}: ${counts.map(({ classification, count }) => `${count}/${variant.runs.length} ${wordFor(classification, report.vocabulary)}`).join(', ')}`;
  });
  return `verdict: ${parts.join('; ')}${report.forbidden ? ` -- a ${wordFor('FORBIDDEN', report.vocabulary)} outcome was seen` : ''}`;
}

export function formatScenarioReport(report: ScenarioReport): string {
  return [
    formatScenarioHeader(report),
    '',
    ...report.variants.flatMap((variant) => [formatVariant(variant, report.params, report.vocabulary), '']),
    `Why: ${report.explain}`,
    '',
    formatVerdict(report),
  ].join('\n');
}
