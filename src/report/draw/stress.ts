/*
 * Draws a `memplay stress` report in the browser: the acquire latency of every
 * primitive as HdrHistogram's percentile plot (log scales: latency against
 * 1 / (1 - percentile)), then per primitive its invariants, each worker's share
 * of the operations (fairness), each worker's time blocked and running, and the
 * violation, deadlock or error report when there is one.
 */
import type { Element } from './globals.js';
import type { Helpers } from './helpers.js';
import type { StressReportData } from '../stress.js';

export function drawStress(data: StressReportData, root: Element, h: Helpers): void {
  const PERCENTILES: [string, number][] = [['p50', 0.5], ['p90', 0.9], ['p99', 0.99], ['p999', 0.999]];
  const summary = h.section(root, data.clean ? 'Every run clean' : 'A run was not clean');
  summary.append(h.table(['target', 'outcome', 'ops/s', 'p50 µs', 'p99 µs', 'max µs', 'Jain index', 'blocked'], data.reports.map((r) => [r.target, r.outcome.toUpperCase(), h.fixed(r.opsPerSecond), h.fixed(r.latency?.p50, 1), h.fixed(r.latency?.p99, 1), h.fixed(r.latency?.max, 1), h.fixed(r.overallFairness?.jainIndex, 3), r.time === null ? 'n/a' : `${(r.time.blockedShare * 100).toFixed(1)}%`])));
  const points = data.reports.flatMap((r) => {
    if (r.latency === null) return [];
    const latency = r.latency;
    const last = 1 - 1 / Math.max(latency.count, 1000);
    return [...PERCENTILES.map(([key, p]) => ({ target: r.target, percentile: p, latency: Math.max(latency[key as 'p50'], 0.01) })), { target: r.target, percentile: last, latency: Math.max(latency.max, 0.01) }];
  });
  if (points.length > 0) {
    const chart = Plot.plot({
      width: 720,
      height: 320,
      x: { type: 'log', label: 'percentile', tickFormat: (v: number) => `${(100 * (1 - 1 / v)).toPrecision(4).replace(/\.?0+$/, '')}%`, ticks: [2, 10, 100, 1000] },
      marginLeft: 60,
      // Plain microseconds at each power of ten (Plot's default SI prefixes wrote 0.1 µs as 100m), the ticks between unlabelled.
      y: { type: 'log', label: 'acquire latency (µs)', grid: true, tickFormat: (us: number) => (Math.abs(Math.log10(us) - Math.round(Math.log10(us))) < 1e-9 ? String(Number(us.toPrecision(3))) : '') },
      color: { legend: true },
      marks: [
        Plot.line(points, { x: (d: { percentile: number }) => 1 / (1 - d.percentile), y: 'latency', stroke: 'target', marker: 'circle' }),
        Plot.tip(points, Plot.pointer({ x: (d: { percentile: number }) => 1 / (1 - d.percentile), y: 'latency', title: (d: { target: string; percentile: number; latency: number }) => `${d.target}: ${(d.percentile * 100).toPrecision(5)}% of acquires within ${d.latency} µs` })),
      ],
    });
    chart.classList.add('latency-chart');
    summary.append(h.figure(chart, 'latency distribution (HdrHistogram percentiles p50, p90, p99, p99.9 and the maximum, log scales)'));
  }
  for (const report of data.reports) drawTarget(report, root, h);
}

export function drawTarget(report: StressReportData['reports'][number], root: Element, h: Helpers): void {
  const box = h.section(root, `${report.target}: ${report.outcome.toUpperCase()}`, report.summary);
  box.dataset.target = report.target;
  box.append(h.el('p', {}, `${report.params.workers} workers, ${report.totalOps} operations in ${report.seconds.toFixed(2)} s, hold ${report.params.holdMicros} µs, seed ${report.params.seed}`));
  box.append(h.el('h3', {}, 'Invariants checked'), h.el('ul', {}, ...report.invariants.map((invariant) => h.el('li', {}, invariant))));
  const workers = report.workers.map((w) => ({ worker: `worker ${w.worker} (${w.role})`, share: w.share, ops: w.ops, blockedMs: w.blockedMs, runningMs: w.runningMs }));
  const share = Plot.plot({
    width: 460,
    height: 60 + 24 * workers.length,
    marginLeft: 140,
    x: { label: "share of its role's operations", grid: true },
    y: { label: null },
    marks: [Plot.barX(workers, { y: 'worker', x: 'share', fill: '#4a78c2', title: (w: { worker: string; ops: number; share: number }) => `${w.worker}: ${w.ops} ops, ${(w.share * 100).toFixed(1)}%` }), Plot.ruleX([0])],
  });
  share.classList.add('share-chart');
  const time = workers.flatMap((w) => [{ worker: w.worker, state: 'running', ms: w.runningMs }, { worker: w.worker, state: 'blocked', ms: w.blockedMs }]);
  const blocked = Plot.plot({
    width: 460,
    height: 60 + 24 * workers.length,
    marginLeft: 140,
    x: { label: 'ms', grid: true },
    y: { label: null },
    color: { domain: ['running', 'blocked'], range: ['#3c9d3c', '#d23c3c'], legend: true },
    marks: [Plot.barX(time, { y: 'worker', x: 'ms', fill: 'state', title: (t: { state: string; ms: number }) => `${t.state} ${t.ms.toFixed(1)} ms` }), Plot.ruleX([0])],
  });
  blocked.classList.add('blocked-chart');
  const fairness = report.fairness.map((f) => `${f.role}: Jain index ${f.jainIndex.toFixed(3)}, smallest/largest ${f.minMaxRatio.toFixed(2)}`).join('; ');
  box.append(h.el('div', { class: 'row' }, h.figure(share, `fairness: each worker's share${fairness === '' ? '' : ` (${fairness})`}`), h.figure(blocked, 'time blocked versus running, per worker')));
  if (report.violation !== null) box.append(h.el('h3', {}, 'Violation'), h.code(`worker ${report.violation.worker}, ${report.violation.phase}, iteration ${report.violation.iteration}: ${report.violation.message}`));
  if (report.deadlock !== null) box.append(h.el('h3', {}, `Deadlock: no progress for ${report.deadlock.seconds} s`), h.code(report.deadlock.waits.join('\n')));
  if (report.error !== null) box.append(h.el('h3', {}, 'Error'), h.code(`${report.error.worker < 0 ? 'the run' : `worker ${report.error.worker}`}: ${report.error.name}: ${report.error.message}\n${(report.error.frames ?? []).join('\n')}`));
}
