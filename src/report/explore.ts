/*
 * The data of a `memplay explore` report: per variant the explorer's Exploration
 * as it is (outcomes with their schedule counts and classifications, each
 * witness's step table and replay id), with beside it what the page shows as
 * text: the variant's summary and Python, the verdict line and each witness's
 * replay command, both made by the terminal report's own functions (one source
 * of their wording), and for a hung witness its wait lines read into a graph of
 * workers and the locks they hold and wait for.
 */
import type { Exploration, OutcomeSummary, Witness } from '../explorer/explore.js';
import { replayCommand, verdict, type ReplayCommand } from '../explorer/report-text.js';
import { graphOfWaits, type Wait, type WaitGraph } from './run.js';

type WitnessData = Witness & { replay: string; graph?: WaitGraph };
type OutcomeData = Omit<OutcomeSummary, 'witness'> & { witness?: WitnessData };
export type ExploreVariantData = Omit<Exploration, 'outcomes'> & { summary: string; python?: string; verdict: string; outcomes: OutcomeData[] };

export interface ExploreReportData {
  scenario: string;
  summary: string;
  explain: string;
  forbidden: boolean;
  variants: ExploreVariantData[];
}

/** One explored variant: the explorer's result, the variant's own words, and what the user named the scenario by (for replay commands). */
export interface ExploredVariant {
  exploration: Exploration;
  summary: string;
  python?: string;
  argument: string;
  /** How a witness is replayed, when not `memplay explore <argument> --replay ID` (a script's arguments follow). */
  replay?: ReplayCommand;
}

export function exploreReportData(scenario: { name: string; summary: string; explain: string }, explored: readonly ExploredVariant[]): ExploreReportData {
  return {
    scenario: scenario.name,
    summary: scenario.summary,
    explain: scenario.explain,
    forbidden: explored.some(({ exploration }) => exploration.forbidden),
    variants: explored.map(variantData),
  };
}

/** A variant's data: each witness with the command that replays it (and a hang's graph), and the verdict line. */
function variantData({ exploration, summary, python, argument, replay: command }: ExploredVariant): ExploreVariantData {
  const outcomes = exploration.outcomes.map(({ witness, ...outcome }) => {
    if (witness === undefined) return outcome;
    const replay = replayCommand(witness, argument, command);
    return { ...outcome, witness: { ...witness, replay, ...(witness.hang === undefined ? {} : { graph: hangGraph(witness.hang.waits) }) } };
  });
  return { ...exploration, summary, python, verdict: verdict(exploration), outcomes };
}

const HANG_LINE = /^(worker \d+): (?:holds (.+?); )?waits in (.+?)\.\w+\(.*?\)(?:, held by (worker \d+))?/;

/** Reads the explorer's "worker 0: holds forks[0]; waits in forks[1].acquire(), held by worker 1" lines; a spin or an unowned wait is a worker alone. */
export function hangGraph(lines: readonly string[]): WaitGraph {
  const waits = lines.flatMap((line): Wait[] => {
    const match = HANG_LINE.exec(line);
    const worker = match?.[1] ?? /^worker \d+/.exec(line)?.[0];
    if (worker === undefined) return [];
    return [match === null ? { worker } : { worker, wanted: match[3], owner: match[4] }];
  });
  return graphOfWaits(waits);
}
