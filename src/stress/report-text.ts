/*
 * The human rendering of a stress report: the target and its invariants, the
 * outcome (clean, or the first violation with its worker, phase and iteration, or
 * who waits on what in a deadlock), throughput, acquire latency percentiles,
 * fairness per role, time blocked against running, the per-worker table and what
 * --kill-holder did.
 */
import type { StressReport } from './runner.js';

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
    return [`  result: VIOLATION ${where}: ${message}`];
  }
  if (report.deadlock !== null) {
    return [`  result: DEADLOCK: the run did not end within ${report.timeoutSeconds} s; who waits on what:`, ...report.deadlock.waits.map((line) => `    ${line}`)];
  }
  const error = report.error!;
  const who = error.worker === -1 ? 'the run' : `worker ${error.worker}`;
  return [`  result: ERROR: ${who} raised ${error.name}: ${error.message}`, ...(error.frames ?? []).map((frame) => `    ${frame}`)];
}

function figures(report: StressReport): string[] {
  const { latency, time } = report;
  const fairness = report.fairness.map(
    (role) => `${role.role} x${role.workers}: min/max ${role.minMaxRatio.toFixed(2)}, Jain ${role.jainIndex.toFixed(3)}`,
  );
  return [
    `  ops: ${report.totalOps} in ${report.seconds.toFixed(2)} s = ${Math.round(report.opsPerSecond)} ops/s`,
    `  acquire latency (us): p50 ${latency.p50}  p90 ${latency.p90}  p99 ${latency.p99}  p99.9 ${latency.p999}  max ${latency.max}  (${latency.count} samples)`,
    `  fairness: ${fairness.join('; ')}`,
    `  time: blocked ${(time.blockedMs / 1000).toFixed(2)} s, running ${(time.runningMs / 1000).toFixed(2)} s (${Math.round(time.blockedShare * 100)}% blocked)`,
  ];
}

function workerTable(report: StressReport): string[] {
  const header = ['worker', 'role', 'ops', 'share', 'blocked ms', 'running ms', 'end'];
  const rows = report.workers.map((row) => [
    String(row.worker),
    row.role,
    String(row.ops),
    `${(row.share * 100).toFixed(1)}%`,
    row.blockedMs.toFixed(0),
    row.runningMs.toFixed(0),
    row.end,
  ]);
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column].length)));
  const line = (cells: string[]) => `    ${cells.map((cell, column) => (column === 1 || column === 6 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd()}`;
  return [line(header), ...rows.map(line)];
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
