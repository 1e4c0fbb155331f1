/*
 * The human rendering of a scenario report: per variant, expected against
 * observed for each run, what hung and who waited on what, the jcstress-style
 * outcome table (outcome, count, share, classification) and the time taken;
 * then the explanation and a one-line verdict.
 */
import type { ScenarioParams } from './define-scenario.js';
import type { RunReport, VariantReport } from './run-variant.js';
import type { ScenarioReport } from './run-scenario.js';

/** Runs listed one by one under a variant; the table covers all of them. */
const RUNS_SHOWN = 5;

export function formatScenarioHeader(report: Pick<ScenarioReport, 'scenario' | 'summary' | 'params' | 'seed'>): string {
  const { workers, iterations, repeat, timeout } = report.params;
  return [
    `${report.scenario}: ${report.summary}`,
    `${workers} workers, ${iterations} iterations, ${repeat} run${repeat === 1 ? '' : 's'} per variant, timeout ${timeout} s, seed ${report.seed}`,
  ].join('\n');
}

/** The variant's parameters that differ from the scenario's, e.g. " [iterations 50000]". */
function paramsOfVariant(variant: VariantReport, scenarioParams?: ScenarioParams): string {
  if (scenarioParams === undefined) return '';
  const differing = Object.entries(variant.params).filter(([key, value]) => scenarioParams[key] !== value);
  return differing.length === 0 ? '' : ` [${differing.map(([key, value]) => `${key} ${value}`).join(', ')}]`;
}

export function formatVariant(variant: VariantReport, scenarioParams?: ScenarioParams): string {
  const lines = [`${variant.name}: ${variant.summary}${paramsOfVariant(variant, scenarioParams)}  (${variant.seconds.toFixed(2)} s)`];
  if (variant.python !== undefined) lines.push(...variant.python.split('\n').map((line) => `    ${line}`));
  const expected = variant.runs.find((run) => run.expected !== undefined)?.expected;
  if (expected !== undefined) lines.push(`  expected  ${expected}`);
  variant.runs.slice(0, RUNS_SHOWN).forEach((run) => lines.push(...formatRun(run)));
  if (variant.runs.length > RUNS_SHOWN) lines.push(`  ... and ${variant.runs.length - RUNS_SHOWN} more runs`);
  lines.push(...formatTable(variant).map((line) => `  ${line}`));
  return lines.join('\n');
}

function formatRun(run: RunReport): string[] {
  const lines = [`  run ${run.repeat + 1}: ${run.observed}  [${run.classification}, ${run.seconds.toFixed(2)} s]`];
  for (const wait of run.hang?.waits ?? []) lines.push(`      ${wait}`);
  return lines;
}

function formatTable(variant: VariantReport): string[] {
  const header = ['outcome', 'count', 'share', 'classification', ''];
  const rows = variant.table.map((row) => [row.outcome, String(row.count), `${Math.round(row.share * 100)}%`, row.classification, row.description]);
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column].length)));
  const align = (row: string[]) =>
    row.map((cell, column) => (column === 1 || column === 2 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ').trimEnd();
  return [align(header), ...rows.map(align)];
}

/** One line per variant: how often the bug showed, and whether anything FORBIDDEN happened. */
export function formatVerdict(report: ScenarioReport): string {
  const parts = report.variants.map((variant) => {
    const count = (classification: string) =>
      variant.table.filter((row) => row.classification === classification).reduce((sum, row) => sum + row.count, 0);
    const forbidden = count('FORBIDDEN');
    const shown = `${variant.name}: ${count('INTERESTING')}/${variant.runs.length} INTERESTING`;
    return forbidden > 0 ? `${shown}, ${forbidden} FORBIDDEN` : shown;
  });
  return `verdict: ${parts.join('; ')}${report.forbidden ? ' -- a FORBIDDEN outcome was seen' : ''}`;
}

export function formatScenarioReport(report: ScenarioReport): string {
  return [
    formatScenarioHeader(report),
    '',
    ...report.variants.flatMap((variant) => [formatVariant(variant, report.params), '']),
    `Why: ${report.explain}`,
    '',
    formatVerdict(report),
  ].join('\n');
}
