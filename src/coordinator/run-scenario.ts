/*
 * The coordinator's entry point: runs the chosen variants of a scenario with the
 * scenario's default parameters overridden by the caller's, and gathers one
 * report. It knows nothing of the CLI: it takes a logger and returns data.
 */
import type { BaseParams, Scenario, ScenarioParams, Vocabulary } from './define-scenario.js';
import { SILENT_LOGGER, type CoordinatorLogger } from './logger.js';
import { Crew } from '../harness/crew.js';
import { freshSeed } from './prng.js';
import { runVariant, type VariantReport } from './run-variant.js';
import { ScenarioError } from './scenario-error.js';

export interface RunRequest {
  readonly scenario: Scenario;
  readonly moduleUrl: string;
  /** A variant's name, several names, or 'all' (the default). */
  readonly variant?: string | readonly string[];
  readonly overrides?: Partial<BaseParams>;
  /** Seeds the scenario's random choices; a fresh one is drawn (and reported) when absent. */
  readonly seed?: number;
  readonly log?: CoordinatorLogger;
  /** Called as each variant finishes (e.g. to print it at once). */
  readonly onVariant?: (report: VariantReport) => void;
}

export interface ScenarioReport {
  readonly scenario: string;
  readonly summary: string;
  readonly explain: string;
  readonly params: ScenarioParams;
  readonly seed: number;
  readonly variants: readonly VariantReport[];
  /** The scenario's words for its classifications, where it has its own (define-scenario.ts). */
  readonly vocabulary?: Vocabulary;
  /** Whether any run of any variant had a FORBIDDEN outcome. */
  readonly forbidden: boolean;
}

export async function runScenario(request: RunRequest): Promise<ScenarioReport> {
  const { scenario } = request;
  const overrides = request.overrides ?? {};
  const params = resolveParams(scenario, overrides);
  const names = selectVariants(scenario, request.variant ?? 'all');
  const seed = request.seed ?? freshSeed();
  const log = request.log ?? SILENT_LOGGER;
  const variants: VariantReport[] = [];
  // One crew serves every run of every variant: starting threads is the slowest part of a short run.
  const crew = new Crew(params.workers);
  try {
    for (const variant of names) {
      const variantParams = resolveParams(scenario, overrides, variant);
      const report = await runVariant({ scenario, moduleUrl: request.moduleUrl, variant, params: variantParams, seed, log, crew });
      variants.push(report);
      request.onVariant?.(report);
    }
  } finally {
    await crew.close();
  }
  return {
    scenario: scenario.name,
    summary: scenario.summary,
    explain: scenario.explain,
    params,
    seed,
    variants,
    vocabulary: scenario.vocabulary,
    forbidden: variants.some((variant) => variant.table.some((row) => row.classification === 'FORBIDDEN')),
  };
}

/** The variants `selection` names: one or several by name, or all of them in definition order. */
export function selectVariants(scenario: Scenario, selection: string | readonly string[]): string[] {
  const all = Object.keys(scenario.variants);
  if (selection === 'all') return all;
  const names = typeof selection === 'string' ? [selection] : [...selection];
  const unknown = names.find((name) => !all.includes(name));
  if (unknown !== undefined) throw new ScenarioError(`scenario '${scenario.name}' has no variant '${unknown}' (it has ${all.join(', ')}, or all)`);
  return names;
}

/**
 * The scenario's defaults, then the variant's own (when one is named), then the
 * caller's overrides, checked against what the scenario allows.
 */
export function resolveParams(scenario: Scenario, overrides: Partial<BaseParams>, variant?: string): ScenarioParams {
  const given = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const variantDefaults = variant === undefined ? {} : scenario.variants[variant].params;
  const params: ScenarioParams = { ...scenario.params, ...variantDefaults, ...given };
  for (const field of ['workers', 'iterations', 'repeat'] as const) {
    if (!Number.isSafeInteger(params[field]) || params[field] < 1) throw new ScenarioError(`${field} must be a whole number >= 1, got ${params[field]}`);
  }
  if (!(params.timeout > 0)) throw new ScenarioError(`timeout must be a number of seconds > 0, got ${params.timeout}`);
  const min = scenario.minWorkers ?? 1;
  const max = scenario.maxWorkers ?? 64;
  if (params.workers < min || params.workers > max) {
    const allowed = min === max ? `exactly ${min}` : `between ${min} and ${max}`;
    const from = 'workers' in given ? '' : variantDefaults?.workers !== undefined ? ` (variant ${variant}'s params.workers)` : " (the scenario's params.workers)";
    throw new ScenarioError(`scenario '${scenario.name}' needs ${allowed} workers, got ${params.workers}${from}`);
  }
  return params;
}
