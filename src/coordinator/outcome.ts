/*
 * Outcomes and their classification, as OpenJDK's jcstress states them.
 *
 * A finished run is reduced to a short outcome key ("counter=400000",
 * "counter<400000", "deadlock", "torn"); each variant lists the keys it expects
 * and classifies each one:
 *   ACCEPTABLE   a correct result;
 *   INTERESTING  the bug the racy variant exists to show (allowed, and wanted);
 *   FORBIDDEN    must never happen (a fixed variant that breaks, a crash).
 * A key the variant does not list is FORBIDDEN, as jcstress treats an unlisted result.
 */
import { describeValue } from '../text/describe-value.js';

export type Classification = 'ACCEPTABLE' | 'INTERESTING' | 'FORBIDDEN';

export interface OutcomeSpec {
  /** The outcome key, as a judge returns it. */
  readonly key: string;
  readonly expect: Classification;
  /** What this outcome means, one short phrase. */
  readonly description: string;
}

/** The outcome a watchdog gives a run that did not finish, and the one for a worker that failed. */
export const HANG_OUTCOMES = ['deadlock', 'livelock'] as const;
export type HangKind = (typeof HANG_OUTCOMES)[number];
export const ERROR_OUTCOME = 'error';
/** The outcome of a run still making progress at its timeout: too slow to judge, but not hung. */
export const SLOW_OUTCOME = 'too-slow';

export interface Classified {
  readonly classification: Classification;
  readonly description: string;
}

/** The classification a variant gives `key`; unlisted keys are FORBIDDEN. */
export function classify(specs: readonly OutcomeSpec[], key: string): Classified {
  const spec = specs.find((candidate) => candidate.key === key);
  if (spec !== undefined) return { classification: spec.expect, description: spec.description };
  if (key === ERROR_OUTCOME) return { classification: 'FORBIDDEN', description: 'the run raised an exception' };
  if (key === SLOW_OUTCOME) return { classification: 'FORBIDDEN', description: 'still making progress at the timeout: too slow to judge, not hung' };
  return { classification: 'FORBIDDEN', description: 'an outcome this variant does not allow' };
}

/** One row of a jcstress-style outcome table. */
export interface OutcomeRow extends Classified {
  readonly outcome: string;
  readonly count: number;
  /** count / runs, between 0 and 1. */
  readonly share: number;
}

/** Tallies runs by outcome, in order of first appearance. */
export function tallyOutcomes(runs: readonly ({ outcome: string } & Classified)[]): OutcomeRow[] {
  const rows = new Map<string, OutcomeRow>();
  for (const run of runs) {
    const row = rows.get(run.outcome);
    rows.set(run.outcome, {
      outcome: run.outcome,
      classification: run.classification,
      description: run.description,
      count: (row?.count ?? 0) + 1,
      share: 0,
    });
  }
  return [...rows.values()].map((row) => ({ ...row, share: row.count / runs.length }));
}

const CLASSIFICATIONS: readonly unknown[] = ['ACCEPTABLE', 'INTERESTING', 'FORBIDDEN'];

/**
 * A variant's outcomes, checked: a list of { key, expect, description } with
 * distinct keys and `expect` one of the three classifications (a misspelt one
 * would hide a FORBIDDEN outcome); anything else is a TypeError. defineScenario
 * checks a list as the file loads; a function's list is checked as a run asks.
 */
export function checkedOutcomes(specs: unknown): readonly OutcomeSpec[] {
  if (!Array.isArray(specs) || !specs.every((spec) => typeof spec?.key === 'string')) {
    throw new TypeError(`outcomes must be a list of { key, expect, description }, not ${describeValue(specs)}`);
  }
  const keys = new Set<string>();
  for (const spec of specs as OutcomeSpec[]) {
    if (!CLASSIFICATIONS.includes(spec.expect)) throw new TypeError(`outcome ${JSON.stringify(spec.key)}: expect must be 'ACCEPTABLE', 'INTERESTING' or 'FORBIDDEN', not ${describeValue(spec.expect)}`);
    if (keys.has(spec.key)) throw new TypeError(`outcome ${JSON.stringify(spec.key)} is listed twice`);
    keys.add(spec.key);
  }
  return specs as OutcomeSpec[];
}
