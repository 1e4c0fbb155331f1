/*
 * The data of a `memplay run` report: the coordinator's ScenarioReport as it
 * is, with per variant the judge's figure to plot for each run, and per hung run
 * the watchdog's wait lines read into a graph ("philosopher 0 holds fork 0,
 * waits for fork 1 (held by philosopher 1)": worker -> fork 1 -> philosopher 1).
 * Each run's per-worker states are left out: the page does not draw them.
 */
import type { ScenarioReport } from '../coordinator/run-scenario.js';
import type { RunReport, VariantReport } from '../coordinator/run-variant.js';
import { formatVerdict } from '../coordinator/report-text.js';

export interface WaitGraph {
  nodes: { id: string; kind: 'worker' | 'resource' }[];
  edges: { from: string; to: string; kind: 'waits' | 'held' }[];
}

type RunData = Omit<RunReport, 'hang' | 'workers'> & { hang?: NonNullable<RunReport['hang']> & { graph: WaitGraph } };
type VariantData = Omit<VariantReport, 'runs'> & { runs: RunData[]; observedKey: string | null };
export type RunReportData = Omit<ScenarioReport, 'variants'> & { variants: VariantData[]; verdict: string };

export function runReportData(report: ScenarioReport): RunReportData {
  return {
    ...report,
    verdict: formatVerdict(report), // the terminal's verdict line, word for word
    variants: report.variants.map((variant) => ({
      ...variant,
      observedKey: observedKey(variant.runs),
      runs: variant.runs.map(({ hang, workers: _workers, ...run }) => (hang === undefined ? run : { ...run, hang: { ...hang, graph: waitGraph(hang.waits) } })),
    })),
  };
}

/** The judge's figure that tells the runs apart: 'lost' where there is one, else the first that varies, else the first. */
export function observedKey(runs: readonly RunReport[]): string | null {
  const keys = [...new Set(runs.flatMap((run) => Object.entries(run.values ?? {}).filter(([, value]) => typeof value === 'number').map(([key]) => key)))];
  if (keys.length === 0) return null;
  if (keys.includes('lost')) return 'lost';
  return keys.find((key) => new Set(runs.map((run) => run.values?.[key])).size > 1) ?? keys[0];
}

const WAIT_LINE = /^(.+?) (?:holds .+?|holds no \w+), waits for (.+?)(?: \(held by (.+?)\))?$/;

/** One worker's wait, read from a report line: the resource it waits for and that resource's holder, where known. */
export interface Wait {
  readonly worker: string;
  readonly wanted?: string;
  readonly owner?: string;
}

/** The graph of workers and resources: "waits" edges from a worker to what it wants, "held" edges from a resource to its holder. */
export function graphOfWaits(waits: readonly Wait[]): WaitGraph {
  const nodes = new Map<string, WaitGraph['nodes'][number]>();
  const edges: WaitGraph['edges'] = [];
  const node = (id: string, kind: 'worker' | 'resource') => nodes.get(id) ?? nodes.set(id, { id, kind }).get(id)!;
  for (const { worker, wanted, owner } of waits) {
    node(worker, 'worker');
    if (wanted === undefined) continue;
    node(wanted, 'resource');
    edges.push({ from: worker, to: wanted, kind: 'waits' });
    if (owner !== undefined) {
      node(owner, 'worker');
      edges.push({ from: wanted, to: owner, kind: 'held' });
    }
  }
  return { nodes: [...nodes.values()], edges };
}

/** Reads "W holds …, waits for R (held by O)" lines; lines of another shape stay text only. */
export function waitGraph(lines: readonly string[]): WaitGraph {
  const waits = lines.flatMap((line): Wait[] => {
    const match = WAIT_LINE.exec(line);
    if (match === null) return [];
    const [, worker, wanted, owner] = match;
    return [wanted.startsWith('none') ? { worker } : { worker, wanted, owner }];
  });
  return graphOfWaits(waits);
}
