/*
 * The data of a `memplay explore` report: per variant the explorer's Exploration
 * as it is (outcomes with their schedule counts and classifications, each
 * witness's step table and replay id), with beside it what the page shows as
 * text: the variant's summary and Python, the verdict line and each witness's
 * replay command, both as the terminal report prints them (its text is the one
 * source of their wording), and for a hung witness its wait lines read into a
 * graph of workers and the locks they hold and wait for.
 */
import type { Exploration, OutcomeSummary, Witness } from '../explorer/explore.js';
import type { WaitGraph } from './run.js';

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

/** One explored variant: the explorer's result, the variant's own words, and its terminal report (formatExploration's text). */
export interface ExploredVariant {
  exploration: Exploration;
  summary: string;
  python?: string;
  text: string;
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

const REPLAY_LINE = /^replay: (memplay explore .+)$/;

/** The text report ends with its verdict line and gives each witness, in outcome order, one "replay: " line. */
function variantData({ exploration, summary, python, text }: ExploredVariant): ExploreVariantData {
  const lines = text.split('\n');
  const replays = lines.map((line) => REPLAY_LINE.exec(line)?.[1]).filter((command) => command !== undefined);
  const witnessed = exploration.outcomes.filter((outcome) => outcome.witness !== undefined);
  if (replays.length !== witnessed.length) throw new Error(`the explore report names ${replays.length} replays for ${witnessed.length} witnesses`);
  const outcomes = exploration.outcomes.map(({ witness, ...outcome }) => {
    if (witness === undefined) return outcome;
    const replay = replays[witnessed.findIndex((other) => other.witness === witness)];
    return { ...outcome, witness: { ...witness, replay, ...(witness.hang === undefined ? {} : { graph: hangGraph(witness.hang.waits) }) } };
  });
  return { ...exploration, summary, python, verdict: lines[lines.length - 1], outcomes };
}

const HANG_LINE = /^(worker \d+): (?:holds (.+?); )?waits in (.+?)\.\w+\(.*?\)(?:, held by (worker \d+))?/;

/** Reads the explorer's "worker 0: holds forks[0]; waits in forks[1].acquire(), held by worker 1" lines; a spin or an unowned wait is a worker alone. */
export function hangGraph(waits: readonly string[]): WaitGraph {
  const nodes = new Map<string, WaitGraph['nodes'][number]>();
  const edges: WaitGraph['edges'] = [];
  const node = (id: string, kind: 'worker' | 'resource') => nodes.get(id) ?? nodes.set(id, { id, kind }).get(id)!;
  for (const line of waits) {
    const match = HANG_LINE.exec(line);
    const worker = match?.[1] ?? /^worker \d+/.exec(line)?.[0];
    if (worker === undefined) continue;
    node(worker, 'worker');
    if (match === null) continue;
    const [, , , wanted, owner] = match;
    node(wanted, 'resource');
    edges.push({ from: worker, to: wanted, kind: 'waits' });
    if (owner !== undefined) {
      node(owner, 'worker');
      edges.push({ from: wanted, to: owner, kind: 'held' });
    }
  }
  return { nodes: [...nodes.values()], edges };
}
