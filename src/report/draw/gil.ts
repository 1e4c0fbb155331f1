/*
 * Draws a `memplay gil` report in the browser: the reading and any warning, the
 * modes' table, the speed-ups (beside CPython's when --compare-cpython ran), the
 * convoy table, and the timelines of every mode and of the convoy as lanes over
 * time (running, in a blocking call, waiting for the GIL), zoomed by dragging
 * over a timeline (a d3 brush) or by typing the milliseconds to show.
 */
import type { Element } from './globals.js';
import type { Helpers } from './helpers.js';
import type { GilReportData } from '../gil.js';

export function drawGil(data: GilReportData, root: Element, h: Helpers): void {
  const lab = data.lab;
  const intro = h.section(root, `${lab.workload} workload, ${lab.workers} workers`, `switch interval ${lab.switchInterval * 1000} ms, ${data.cores} cores, load average ${data.loadAverage.toFixed(2)} at the start`);
  if (data.machine.warnings.length > 0) intro.append(h.el('p', { class: 'warning' }, `These figures cannot be trusted: ${data.machine.warnings.join('; ')}`));
  for (const line of data.reading) intro.append(h.el('p', {}, line));
  const modes = h.section(root, 'Modes');
  const rows = lab.modes.map((mode) => [mode.mode, mode.threads, mode.wallMs.toFixed(0), mode.speedup === null ? '-' : `${mode.speedup.toFixed(2)}x`, h.fixed(mode.cpuParallelism, 2), mode.gilWaitMs.toFixed(0), mode.gil.switches, mode.gil.dropRequests]);
  const speedups = lab.modes.filter((mode) => mode.speedup !== null).map((mode) => ({ mode: mode.mode, who: 'model', speedup: mode.speedup }));
  const cpython = data.cpython;
  if (cpython !== null && cpython.available) {
    for (const mode of cpython.modes) if (mode.speedup !== null) speedups.push({ mode: mode.mode, who: `CPython ${cpython.python}`, speedup: mode.speedup });
  }
  const chart = Plot.plot({
    width: 480,
    height: 240,
    x: { axis: null },
    fx: { label: null, domain: lab.modes.filter((mode) => mode.speedup !== null).map((mode) => mode.mode) },
    y: { label: 'speed-up over serial', grid: true },
    color: { legend: true },
    marks: [Plot.barY(speedups, { fx: 'mode', x: 'who', y: 'speedup', fill: 'who', title: (d: { who: string; speedup: number }) => `${d.who}: ${d.speedup.toFixed(2)}x` }), Plot.ruleY([0, 1])],
  });
  chart.classList.add('speedup-chart');
  modes.append(h.el('div', { class: 'row' }, h.table(['mode', 'workers', 'wall ms', 'speed-up', 'CPUs used', 'GIL wait ms', 'switches', 'drop requests'], rows), h.figure(chart, cpython !== null && cpython.available ? "speed-up over serial: the model's beside CPython's" : 'speed-up over serial')));
  if (cpython !== null && !cpython.available) modes.append(h.el('p', { class: 'note' }, `CPython comparison not run: ${cpython.reason}`));
  if (data.convoy !== null) {
    const convoy = h.section(root, 'Convoy effect', `${data.convoy.roundTrips} one-byte round trips to an echo peer outside the GIL`);
    convoy.append(h.table(['setting', 'I/O thread ms', 'per round trip µs', 'multiple', 'GIL wait ms', 'switches'], data.convoy.runs.map((run) => [run.label, run.ioMs.toFixed(1), run.perRoundTripUs.toFixed(0), `${run.multiple.toFixed(1)}x`, run.gilWaitMs.toFixed(1), run.gil.switches])));
  }
  if (data.timelines.length > 0) drawTimelines(data, h.section(root, 'Timelines', 'each lane a thread; drag over a timeline, or type the milliseconds to show, to zoom in'), h);
  else h.section(root, 'Timelines', 'not recorded: run memplay gil with --timeline to draw every thread over time');
}

/** All timelines over one shared window of milliseconds, redrawn when the window changes. */
export function drawTimelines(data: GilReportData, box: Element, h: Helpers): void {
  const STATES = data.laneStates;
  const COLORS = ['#3c9d3c', '#4a78c2', '#d9d9d9', '#f0e6cc'];
  const end = Math.max(1, ...data.timelines.flatMap((timeline) => timeline.lanes.flatMap((lane) => lane.segments.map((segment) => segment[2]))));
  const from = h.el('input', { type: 'number', min: '0', step: 'any', value: '0', 'aria-label': 'from ms' });
  const to = h.el('input', { type: 'number', min: '0', step: 'any', value: end.toFixed(1), 'aria-label': 'to ms' });
  const reset = h.el('button', { type: 'button' }, 'whole run');
  box.append(h.el('p', { class: 'zoom' }, 'show from ', from, ' ms to ', to, ' ms ', reset));
  const charts = h.el('div', {});
  box.append(charts);
  const draw = () => {
    // Typed the wrong way round, the two ends are swapped rather than drawing an empty chart.
    const [a, b] = [Math.max(0, Number(from.value) || 0), Math.max(0, Number(to.value) || end)];
    const lo = Math.min(a, b);
    const hi = Math.max(lo + 0.001, Math.max(a, b));
    charts.replaceChildren();
    for (const timeline of data.timelines) {
      const segments = timeline.lanes.flatMap((lane) => lane.segments.filter((s) => s[2] >= lo && s[1] <= hi).map((s) => ({ lane: lane.label, state: STATES[s[0]], start: s[1], end: s[2] })));
      const chart = Plot.plot({
        width: 1180,
        height: 40 + 26 * timeline.lanes.length,
        marginLeft: 130,
        x: { label: 'ms from the start', domain: [lo, hi] },
        y: { label: null, domain: timeline.lanes.map((lane) => lane.label) },
        color: { domain: STATES, range: COLORS, legend: true },
        marks: [Plot.barX(segments, { y: 'lane', x1: 'start', x2: 'end', fill: 'state', clip: true, title: (s: { state: string; start: number; end: number }) => `${s.state} ${s.start.toFixed(2)}–${s.end.toFixed(2)} ms` })],
      });
      chart.classList.add('timeline-chart');
      addBrush(chart, 130, 40 + 26 * timeline.lanes.length);
      chart.dataset.lanes = String(timeline.lanes.length);
      const truncated = timeline.lanes.some((lane) => lane.truncated) ? ' (a trace reached its limit and stops early)' : '';
      charts.append(h.el('h3', {}, timeline.title + truncated), chart);
    }
  };
  /** Dragging over a timeline shows the milliseconds dragged over. */
  function addBrush(chart: Element, marginLeft: number, height: number): void {
    const svg = chart.tagName.toLowerCase() === 'svg' ? chart : chart.querySelector(':scope > svg');
    const x = chart.scale('x');
    const brush = d3
      .brushX()
      .extent([[marginLeft, 0], [1180 - 20, height - 30]])
      .on('end', (event: { selection: [number, number] | null }) => {
        if (event.selection === null) return;
        const [lo, hi] = event.selection.map((pixel) => x.invert(pixel));
        from.value = Math.max(0, lo).toFixed(3);
        to.value = hi.toFixed(3);
        draw();
      });
    d3.select(svg).append('g').attr('class', 'brush').call(brush);
  }
  from.addEventListener('change', draw);
  to.addEventListener('change', draw);
  reset.addEventListener('click', () => {
    from.value = '0';
    to.value = end.toFixed(1);
    draw();
  });
  draw();
}
