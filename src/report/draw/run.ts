/*
 * Draws a `memplay run` report in the browser: the scenario's explanation, then
 * per variant its Python, the jcstress outcome table, a bar chart of the
 * outcomes in jcstress's colours, the observed figure of each run, and for a hung
 * run the watchdog's wait-for report as a graph of workers and what they wait on.
 * The outcome chart and the wait-for graph serve the explore report too.
 */
import type { Element } from './globals.js';
import type { Helpers } from './helpers.js';
import type { RunReportData, WaitGraph } from '../run.js';

export function drawRun(data: RunReportData, root: Element, h: Helpers): void {
  const intro = h.section(root, data.scenario, data.summary);
  intro.append(h.el('p', {}, `${data.params.workers} workers, ${data.params.iterations} iterations, ${data.params.repeat} runs per variant, seed ${data.seed}`));
  intro.append(h.code(data.explain));
  intro.append(h.el('p', { class: `verdict${data.forbidden ? ' forbidden' : ''}` }, `Verdict: ${data.verdict.replace(/^verdict: /, '')}`));
  for (const variant of data.variants) {
    const box = h.section(root, `variant ${variant.name}`, variant.summary);
    box.dataset.variant = variant.name;
    if (variant.python !== undefined) box.append(h.el('h3', {}, 'The Python it mirrors'), h.code(variant.python));
    const rows = variant.table.map((row) => [row.outcome, row.count, `${(row.share * 100).toFixed(1)}%`, h.classBadge(row.classification), row.description]);
    const outcomes = h.el('div', {}, h.el('h3', {}, 'Outcomes'), h.table(['outcome', 'runs', 'share', 'classification', 'meaning'], rows));
    const chart = outcomeChart(variant.table, 'runs', h);
    box.append(h.el('div', { class: 'row' }, outcomes, h.figure(chart, 'runs per outcome (green ACCEPTABLE, amber INTERESTING, red FORBIDDEN)')));
    drawObserved(box, variant, h);
    for (const run of variant.runs) if (run.hang !== undefined) drawHang(box, run, h);
  }
}

/** The figure each run's judge reported (e.g. updates lost), one bar per run; else the observed text. */
export function drawObserved(box: Element, variant: RunReportData['variants'][number], h: Helpers): void {
  box.append(h.el('h3', {}, 'Each run'));
  const key = variant.observedKey;
  if (key !== null) {
    const points = variant.runs.map((run) => ({ run: run.repeat + 1, value: run.values?.[key] as number, classification: run.classification }));
    const chart = Plot.plot({
      width: 640,
      height: 200,
      marginLeft: 80,
      x: { label: 'run', type: 'band' },
      y: { label: key, grid: true, domain: [Math.min(0, ...points.map((p) => p.value)), Math.max(1, ...points.map((p) => p.value))] },
      marks: [Plot.barY(points, { x: 'run', y: 'value', fill: (p: { classification: string }) => h.CLASS_COLORS[p.classification], title: (p: { run: number; value: number }) => `run ${p.run}: ${key} ${p.value}` }), Plot.ruleY([0])],
    });
    chart.classList.add('observed-chart');
    box.append(h.figure(chart, `${key} in each run`));
  }
  const rows = variant.runs.map((run) => [run.repeat + 1, run.observed, run.expected ?? '', h.classBadge(run.classification), `${(run.seconds * 1000).toFixed(1)} ms`]);
  box.append(h.el('details', {}, h.el('summary', {}, `the ${variant.runs.length} runs`), h.table(['run', 'observed', 'expected', 'classification', 'time'], rows)));
}

/** The watchdog's report for a hung run: its lines, and the graph of who waits for what, who holds it. */
export function drawHang(box: Element, run: RunReportData['variants'][number]['runs'][number], h: Helpers): void {
  const hang = run.hang!;
  box.append(h.el('h3', {}, `Run ${run.repeat + 1}: ${hang.kind} (${hang.reason})`));
  box.append(h.code(hang.waits.join('\n')));
  if (hang.graph.nodes.length === 0) return;
  box.append(waitGraphFigure(hang.graph, `run-${run.repeat}`, h));
}

/** One bar per outcome, its length the runs (or schedules) that gave it, in jcstress's colours. */
export function outcomeChart(rows: readonly { outcome: string; count: number; classification: string }[], unit: string, h: Helpers): Element {
  const chart = Plot.plot({
    width: 400,
    height: 40 + 28 * rows.length,
    marginLeft: 150,
    // Counts are whole: no tick at 0.5 of a run.
    x: { label: unit, grid: true, tickFormat: (count: number) => (Number.isInteger(count) ? String(count) : '') },
    // Outcomes such as a script's '8000' are names, not numbers; a long one is cut at its end (outcomes differ at their
    // start as often as not, and the SVG's edge cut the start), the whole of it in the bar's title and the table.
    y: { label: null, type: 'band', tickFormat: (outcome: string) => (outcome === '' ? '(nothing)' : outcome.length > 22 ? `${outcome.slice(0, 21)}…` : outcome) },
    marks: [
      Plot.barX(rows, { y: 'outcome', x: 'count', fill: (row: { classification: string }) => h.CLASS_COLORS[row.classification], title: (row: { outcome: string; count: number }) => `${row.outcome}: ${row.count}` }),
      Plot.ruleX([0]),
    ],
  });
  chart.classList.add('outcome-chart');
  return chart;
}

/** A wait-for graph (src/report/run.ts's WaitGraph) laid out on a circle, with its caption; `id` names its arrow marker, unique in the page. */
export function waitGraphFigure(graph: WaitGraph, id: string, h: Helpers): Element {
  const { nodes, edges } = graph;
  const size = 360;
  const radius = size / 2 - 60;
  // Room on both sides for labels written beside their nodes.
  const side = 200;
  const svg = h.svg('svg', { width: size + 2 * side, height: size, viewBox: `${-side} 0 ${size + 2 * side} ${size}`, class: 'wait-graph' });
  const defs = h.svg('defs');
  const marker = h.svg('marker', { id: `arrow-${id}`, viewBox: '0 0 10 10', refX: 22, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' });
  marker.append(h.svg('path', { d: 'M0,0L10,5L0,10z', fill: '#555' }));
  defs.append(marker);
  svg.append(defs);
  const angle = d3.scalePoint().domain(nodes.map((node) => node.id)).range([0, 2 * Math.PI]).padding(0.5);
  const at = (id: string) => [size / 2 + radius * Math.cos(angle(id) - Math.PI / 2), size / 2 + radius * Math.sin(angle(id) - Math.PI / 2)];
  for (const edge of edges) {
    const [x1, y1] = at(edge.from);
    const [x2, y2] = at(edge.to);
    const line = h.svg('line', { x1, y1, x2, y2, stroke: edge.kind === 'waits' ? '#d23c3c' : '#555', 'stroke-width': 1.6, 'stroke-dasharray': edge.kind === 'waits' ? '5 3' : '', 'marker-end': `url(#arrow-${id})` });
    line.dataset.edge = edge.kind;
    svg.append(line);
  }
  for (const node of nodes) {
    const [x, y] = at(node.id);
    const group = h.svg('g', { transform: `translate(${x},${y})`, class: `node ${node.kind}` });
    group.append(node.kind === 'worker' ? h.svg('circle', { r: 14, fill: '#4a78c2' }) : h.svg('rect', { x: -12, y: -12, width: 24, height: 24, fill: '#9aa0a6' }));
    // Beside the node, away from the circle's centre (a long name, such as a script's line, would cross the others below it).
    const [dx, dy] = [x - size / 2, y - size / 2];
    const beside = Math.abs(dx) > 20;
    const label = h.svg('text', beside ? { x: Math.sign(dx) * 20, y: 4, 'text-anchor': dx > 0 ? 'start' : 'end' } : { y: dy > 0 ? 30 : -20, 'text-anchor': 'middle' });
    // A long name loses its middle: its start (the script's line) and its end (the object) tell nodes apart.
    label.textContent = node.id.length > 32 ? `${node.id.slice(0, 14)}…${node.id.slice(-17)}` : node.id;
    const title = h.svg('title');
    title.textContent = node.id;
    group.append(title, label);
    svg.append(group);
  }
  return h.figure(svg, 'wait-for graph: circles are workers, squares what they hold or want; dashed red: waits for, grey: held by');
}

