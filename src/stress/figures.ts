/*
 * The figures of a stress run: throughput, acquire latency percentiles, fairness
 * and time blocked against time running.
 *
 *   latency   every worker's HdrHistogram (Gil Tene's High Dynamic Range histogram,
 *             3 significant digits, in ns) merged; p50, p90, p99, p99.9 and max in µs.
 *   fairness  each worker's share of the completed operations; min/max ratio and
 *             Jain's fairness index (sum x)^2 / (n * sum x^2), which is 1 when all
 *             get the same and 1/n when one gets everything (R. Jain, D. Chiu,
 *             W. Hawe, DEC-TR-301, 1984). Computed per role, since producers and
 *             consumers are not meant to do the same work; and over all the workers
 *             whose loops the run's clock ends (not the ones driven by others, such
 *             as consumers; over every worker when fewer than two are clocked), which
 *             is where a readers-first lock's starved writer shows (--fairness MIN
 *             fails a run below MIN; with one of n workers starved the index is at
 *             most (n-1)/n).
 *   time      the sum over workers of the time spent in acquire (blocked) and the rest.
 */
import hdr from 'hdr-histogram-js';

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly unit: 'us';
}

export interface RoleFairness {
  readonly role: string;
  readonly workers: number;
  /** The smallest share over the largest, 0..1 (1: perfectly even). */
  readonly minMaxRatio: number;
  readonly jainIndex: number;
}

/** The workers' histograms (compressed base64) merged into one summary in µs. */
export function latencySummary(encoded: readonly string[]): LatencySummary {
  const merged = hdr.build({ numberOfSignificantValueDigits: 3 });
  for (const text of encoded) merged.add(hdr.decodeFromCompressedBase64(text));
  const us = (ns: number) => Math.round(ns / 10) / 100;
  const at = (percentile: number) => (merged.totalCount === 0 ? 0 : us(merged.getValueAtPercentile(percentile)));
  return { count: merged.totalCount, p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max: us(merged.maxValue), unit: 'us' };
}

export function jainIndex(values: readonly number[]): number {
  const sum = values.reduce((total, value) => total + value, 0);
  const squares = values.reduce((total, value) => total + value * value, 0);
  return squares === 0 ? 1 : (sum * sum) / (values.length * squares);
}

export function minMaxRatio(values: readonly number[]): number {
  const max = Math.max(...values);
  return max === 0 ? 1 : Math.min(...values) / max;
}

/** Fairness of each role's workers over their completed operations. */
export function fairnessByRole(workers: readonly { role: string; ops: number }[]): RoleFairness[] {
  const roles = [...new Set(workers.map((worker) => worker.role))];
  return roles.map((role) => fairnessOf(role, workers.filter((worker) => worker.role === role).map((worker) => worker.ops)));
}

/** Fairness over the given workers' completed operations, under one label. */
export function fairnessOf(label: string, ops: readonly number[]): RoleFairness {
  return { role: label, workers: ops.length, minMaxRatio: minMaxRatio(ops), jainIndex: jainIndex(ops) };
}
