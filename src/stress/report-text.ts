/*
 * The human rendering of a stress report: the target and its invariants, the
 * outcome (clean, or the first violation with its worker, phase and iteration, or
 * who waits on what in a deadlock, or a fairness below --fairness), throughput,
 * acquire latency percentiles, fairness per role and overall, time blocked against
 * running, the per-worker table and what --kill-holder did. A figure the run could
 * not measure (a deadlock, a terminated worker) is n/a, never a zero.
 */
import type { StressReport } from './runner.js';
import type { Violation } from './stress-board.js';
import { tableLines } from '../text/table.js';

export function formatStressReport(report: StressReport): string {
  return [...header(report), ...outcome(report), ...figures(report), ...workerTable(report), ...killSection(report)].join('\n');
}

function header(report: StressReport): string[] {
  const { params } = report;
  const bound = params.ops !== null ? `${params.ops} ops per worker` : `${params.duration} s`;
  return [
    `${report.target}: ${report.summary}`,
    `  ${params.workers} workers, ${bound}, hold ${params.holdMicros} us, seed ${params.seed}, timeout ${report.timeoutSeconds} s`,
    `  invariants: ${report.invariants.join('; ')}`,
  ];
}

function outcome(report: StressReport): string[] {
  if (report.outcome === 'clean') return ['  result: CLEAN, no violation'];
  if (report.violation !== null) {
    const { worker, phase, iteration, message } = report.violation;
    const where = worker === -1 ? 'in the final check after the run' : `by worker ${worker} in ${phase} at iteration ${iteration}`;
    return [`  result: VIOLATION ${where}: ${message}`, ...witnesses(report.violation)];
  }
  if (report.deadlock !== null) {
    const { seconds, seenBy, waits } = report.deadlock;
    const seen = seenBy === 'all-asleep' ? `every worker still running sleeps in a wait no running worker can end (seen after ${seconds.toFixed(1)} s)` : `the run did not end within ${report.timeoutSeconds} s`;
    return [`  result: DEADLOCK: ${seen}; who waits on what:`, ...waits.map((line) => `    ${line}`)];
  }
  if (report.outcome === 'unfair') {
    const overall = report.overallFairness!;
    return [`  result: UNFAIR: Jain's index over the ${overall.workers} workers ${overall.jainIndex.toFixed(3)} is below --fairness ${report.minFairness}; ops per worker: ${opsPerWorker(report)}`];
  }
  const error = report.error!;
  const who = error.worker === -1 ? 'the run' : `worker ${error.worker}`;
  return [`  result: ERROR: ${who} raised ${error.name}: ${error.message}`, ...(error.frames ?? []).map((frame) => `    ${frame}`)];
}

/** Who was inside the critical section when the violation was seen, and every worker's last phases before it. */
function witnesses(violation: Violation): string[] {
  if (violation.workers.length === 0) return [];
  const inside = violation.workers.filter((worker) => worker.phase === 'critical' || worker.phase === 'held-for-kill').map((worker) => worker.worker);
  const lines = [`    workers in the critical section then: ${inside.length === 0 ? 'none recorded' : inside.join(', ')}; each worker's last phases (us before the violation):`];
  for (const worker of violation.workers) {
    const recent = worker.recent.map((entry) => `${entry.phase} #${entry.iteration} ${entry.atUs - violation.atUs}`).join(', ');
    lines.push(`    worker ${worker.worker} (in ${worker.phase}): ${recent === '' ? 'nothing recorded' : recent}`);
  }
  return lines;
}

const NA = 'n/a';

function figures(report: StressReport): string[] {
  const fairness = [...report.fairness, ...(report.overallFairness === null ? [] : [report.overallFairness])].map(
    (role) => `${role.role} x${role.workers}: min/max ${role.minMaxRatio.toFixed(2)}, Jain ${role.jainIndex.toFixed(3)}`,
  );
  const rate = report.opsPerSecond === null ? `${NA} (the run did not finish)` : `${Math.round(report.opsPerSecond)} ops/s`;
  return [
    `  ops: ${report.totalOps} in ${report.seconds.toFixed(2)} s = ${rate}`,
    `  acquire latency (us): ${latencyLine(report)}`,
    `  fairness: ${fairness.join('; ')}${report.minFairness === null ? '' : ` (--fairness ${report.minFairness})`}`,
    `  time: ${timeLine(report)}`,
  ];
}

function latencyLine(report: StressReport): string {
  const { latency } = report;
  if (latency === null) return `${NA} (${report.outcome === 'deadlock' ? 'the run deadlocked' : 'no worker returned its figures'})`;
  const lost = report.workers.filter((row) => !report.sampled.workers.includes(row.worker) && row.ops > 0);
  const unsampled = lost.length === 0 ? '' : `; not timed: ${lost.map((row) => `worker ${row.worker}'s ${row.ops} ops (${row.end})`).join(', ')}`;
  return `p50 ${latency.p50}  p90 ${latency.p90}  p99 ${latency.p99}  p99.9 ${latency.p999}  max ${latency.max}  (${latency.count} samples, one per op${unsampled})`;
}

function timeLine(report: StressReport): string {
  const { time } = report;
  if (time === null) return `${NA} (${report.outcome === 'deadlock' ? 'the run deadlocked' : 'no worker returned its figures'})`;
  return `blocked ${(time.blockedMs / 1000).toFixed(2)} s, running ${(time.runningMs / 1000).toFixed(2)} s (${Math.round(time.blockedShare * 100)}% blocked)`;
}

function opsPerWorker(report: StressReport): string {
  return report.workers.map((row) => `${row.worker} (${row.role}) ${row.ops}`).join(', ');
}

function workerTable(report: StressReport): string[] {
  const header = ['worker', 'role', 'ops', 'share', 'blocked ms', 'running ms', 'end'];
  const rows = report.workers.map((row) => [
    String(row.worker),
    row.role,
    String(row.ops),
    `${(row.share * 100).toFixed(1)}%`,
    ...(report.sampled.workers.includes(row.worker) ? [row.blockedMs.toFixed(0), row.runningMs.toFixed(0)] : [NA, NA]),
    row.end,
  ]);
  return tableLines(header, rows, { left: [1, 6], rule: false }).map((line) => `    ${line}`);
}

function killSection(report: StressReport): string[] {
  const kill = report.killHolder;
  if (kill === null) return [];
  const recovered =
    kill.recoveredBy === null
      ? 'nobody recovered it'
      : kill.recoveredBy.worker === -1
        ? 'no worker came for it; the runner took it after the run with OwnerDiedError and made it consistent'
        : `worker ${kill.recoveredBy.worker} got OwnerDiedError at iteration ${kill.recoveredBy.iteration}, repaired and made it consistent`;
  return [
    `  kill-holder: worker ${kill.victim} (thread ${kill.victimThreadId}) terminated at iteration ${kill.atIteration} ${kill.heldTheLock ? 'holding the lock' : 'NOT holding the lock'};`,
    `    its exit was seen after ${kill.exitSeenAfterMs.toFixed(1)} ms and the lock ${kill.markedOwnerDied ? 'marked OWNER_DIED (owner no longer alive)' : 'was NOT marked'}; ${recovered}`,
  ];
}
