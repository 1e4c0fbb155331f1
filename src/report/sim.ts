/*
 * The data of a `memplay sim` report: the demo's result from src/pymem/demos.ts
 * as it is, tagged with the demo's name. list-growth leaves out getsizeof after
 * every append (up to a million numbers), dict- and set-growth after every
 * insertion: their resizes give the same step curve.
 * fragmentation leaves out the malloc statistics' per-size-class table.
 */
import type { ContainerGrowth, CycleLeak, Fragmentation, Generations, GcSchedule, ListGrowth, SizeBreakdown } from '../pymem/demos.js';

export type SimReportData =
  | ({ demo: 'sizeof' } & SizeBreakdown)
  | ({ demo: 'fragmentation' } & Omit<Fragmentation, 'report'>)
  | ({ demo: 'list-growth'; finalSize: number } & Omit<ListGrowth, 'sizes'>)
  | ({ demo: 'container-growth'; finalSize: number } & Omit<ContainerGrowth, 'sizes'>)
  | ({ demo: 'cycle' } & CycleLeak)
  | ({ demo: 'generations'; schedule?: GcSchedule } & Generations);

export function sizeofReportData(breakdown: SizeBreakdown): SimReportData {
  return { demo: 'sizeof', ...breakdown };
}

export function fragmentationReportData({ report: _report, ...fragmentation }: Fragmentation): SimReportData {
  return { demo: 'fragmentation', ...fragmentation };
}

export function listGrowthReportData({ sizes, ...growth }: ListGrowth): SimReportData {
  return { demo: 'list-growth', ...growth, finalSize: sizes.at(-1) ?? 0 };
}

export function containerGrowthReportData({ sizes, ...growth }: ContainerGrowth): SimReportData {
  return { demo: 'container-growth', ...growth, finalSize: sizes.at(-1) ?? 0 };
}

export function cycleReportData(cycle: CycleLeak): SimReportData {
  return { demo: 'cycle', ...cycle };
}

export function generationsReportData(result: Generations & { schedule?: GcSchedule }): SimReportData {
  return { demo: 'generations', ...result };
}
