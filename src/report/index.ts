/*
 * memplay's HTML reports: one self-contained page per run (page.ts), drawn in
 * the browser from the run's data. Each kind of report is a plain data object
 * (made from what its engine returns by the function beside it: runReportData,
 * exploreReportData, pythonReportData,
 * gilReportData, stressReportData, the sim demos' ...ReportData) and a drawing
 * (src/report/draw/<kind>.ts). Adding a kind is one entry in KINDS and its
 * data type in ReportData.
 */
import { writeFileSync } from 'node:fs';
import { reportPage, type Drawing } from './page.js';
import { drawHang, drawObserved, drawRun, outcomeChart, waitGraphFigure } from './draw/run.js';
import { drawExplore, drawWitness, stepPlayer } from './draw/explore.js';
import { drawGil, drawTimelines } from './draw/gil.js';
import { drawPython } from './draw/python.js';
import { drawStress, drawTarget } from './draw/stress.js';
import { drawContainerGrowth, drawCycle, drawFragmentation, drawGenerations, drawGrowthSteps, drawListGrowth, drawSim, drawSizeof } from './draw/sim.js';
import type { RunReportData } from './run.js';
import type { ExploreReportData } from './explore.js';
import type { PythonReportData } from './python.js';
import type { GilReportData } from './gil.js';
import type { StressReportData } from './stress.js';
import type { SimReportData } from './sim.js';

export { runReportData } from './run.js';
export { exploreReportData } from './explore.js';
export { pythonReportData } from './python.js';
export { gilReportData } from './gil.js';
export { stressReportData } from './stress.js';
export { containerGrowthReportData, cycleReportData, fragmentationReportData, generationsReportData, listGrowthReportData, sizeofReportData } from './sim.js';

/** Each kind of report and the data it draws. */
export interface ReportData {
  run: RunReportData;
  explore: ExploreReportData;
  python: PythonReportData;
  gil: GilReportData;
  stress: StressReportData;
  sim: SimReportData;
}
export type ReportKind = keyof ReportData;

interface KindSpec<K extends ReportKind> {
  title: (data: ReportData[K]) => string;
  drawing: Drawing;
}

const KINDS: { [K in ReportKind]: KindSpec<K> } = {
  run: { title: (data) => `memplay run ${data.scenario}`, drawing: [drawRun, drawObserved, drawHang, outcomeChart, waitGraphFigure] },
  explore: { title: (data) => `memplay explore ${data.scenario}`, drawing: [drawExplore, drawWitness, stepPlayer, outcomeChart, waitGraphFigure] },
  python: { title: (data) => `memplay run ${data.script}`, drawing: [drawPython, outcomeChart] },
  gil: { title: (data) => `memplay gil: ${data.lab.workload} workload`, drawing: [drawGil, drawTimelines] },
  stress: { title: (data) => `memplay stress ${data.reports.map((report) => report.target).join(', ')}`, drawing: [drawStress, drawTarget] },
  sim: { title: (data) => `memplay sim ${data.demo === 'container-growth' ? `${data.container}-growth` : data.demo}`, drawing: [drawSim, drawSizeof, drawFragmentation, drawListGrowth, drawContainerGrowth, drawGrowthSteps, drawCycle, drawGenerations] },
};

/** The report's page as a string. */
export function reportHtml<K extends ReportKind>(kind: K, data: ReportData[K]): string {
  const spec = KINDS[kind];
  return reportPage({ kind, title: spec.title(data), data, drawing: spec.drawing });
}

/** Writes the report's page to `file`. */
export function writeReport<K extends ReportKind>(file: string, kind: K, data: ReportData[K]): void {
  writeFileSync(file, reportHtml(kind, data));
}
