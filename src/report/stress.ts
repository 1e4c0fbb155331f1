/*
 * The data of a `memplay stress` report: the runner's StressReport of each
 * target as it is (one per primitive; `stress all` gives several).
 */
import type { StressReport } from '../stress/runner.js';

export interface StressReportData {
  reports: StressReport[];
  clean: boolean;
}

export function stressReportData(reports: readonly StressReport[]): StressReportData {
  return { reports: [...reports], clean: reports.every((report) => report.outcome === 'clean') };
}
