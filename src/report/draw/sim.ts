/*
 * Draws a `memplay sim` report in the browser. sizeof: an object diagram in
 * Python Tutor's manner, hand-drawn SVG (no chart library draws one): the object
 * with its size and allocator, its buffer's slots, an arrow from each slot to the
 * item it points to. fragmentation: a map of the arenas at each phase (in use,
 * freed) and a Plot of the bytes in use against the bytes held unused.
 * list-growth, dict-growth, set-growth: getsizeof against length, a step at each
 * reallocation or resize.
 * cycle and generations: their steps as tables and a Plot of the counts.
 */
import type { Element } from './globals.js';
import type { Helpers } from './helpers.js';
import type { SimReportData } from '../sim.js';

export function drawSim(data: SimReportData, root: Element, h: Helpers): void {
  if (data.demo === 'sizeof') drawSizeof(data, root, h);
  else if (data.demo === 'fragmentation') drawFragmentation(data, root, h);
  else if (data.demo === 'list-growth') drawListGrowth(data, root, h);
  else if (data.demo === 'container-growth') drawContainerGrowth(data, root, h);
  else if (data.demo === 'cycle') drawCycle(data, root, h);
  else drawGenerations(data, root, h);
}

export function drawSizeof(data: Extract<SimReportData, { demo: 'sizeof' }>, root: Element, h: Helpers): void {
  const SHOWN = 20;
  const box = h.section(root, `sys.getsizeof(${data.source}) == ${data.size}`, `${data.type}, built by ${data.built}; everything it reaches, each object once: ${data.deepSize} bytes`);
  const items = data.items.slice(0, SHOWN);
  const slotHeight = 26;
  const height = Math.max(150, 70 + Math.max(items.length, 1) * 44 + (data.items.length > SHOWN ? 30 : 0));
  const svg = h.svg('svg', { width: 900, height, viewBox: `0 0 900 ${height}`, class: 'object-diagram', role: 'img' });
  const defs = h.svg('defs');
  const marker = h.svg('marker', { id: 'pointer', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto' });
  marker.append(h.svg('path', { d: 'M0,0L10,5L0,10z', fill: '#333' }));
  defs.append(marker);
  svg.append(defs);
  const text = (x: number, y: number, content: string, attrs: Record<string, string | number> = {}) => {
    const node = h.svg('text', { x, y, ...attrs });
    node.textContent = content;
    return node;
  };
  const object = h.svg('g', { class: 'object', 'data-role': 'value' });
  const objectLines = [data.type, `getsizeof ${data.size} B`, `object ${data.object.bytes} B${data.object.gcHeader ? ` (GC header ${data.object.gcHeader})` : ''}`, data.object.allocator === 'static' ? 'statically allocated' : `${data.object.allocator} block ${data.object.blockBytes} B`];
  object.append(h.svg('rect', { x: 10, y: 20, width: 220, height: 20 + objectLines.length * 18, rx: 4, fill: '#fff7d6', stroke: '#8a6d00' }));
  objectLines.forEach((line, index) => object.append(text(20, 40 + index * 18, line, index === 0 ? { 'font-weight': 700 } : {})));
  svg.append(object);
  const itemX = 560;
  const itemY = (index: number) => 30 + index * 44;
  let slotsX = 0;
  if (data.buffer !== null) {
    const buffer = h.svg('g', { class: 'buffer' });
    slotsX = 300;
    const slots = Math.max(items.length, 1);
    buffer.append(text(slotsX, 14, `buffer ${data.buffer.bytes} B (${data.buffer.allocator} block ${data.buffer.blockBytes} B)`));
    for (let index = 0; index < slots; index++) buffer.append(h.svg('rect', { x: slotsX, y: 22 + index * slotHeight, width: 60, height: slotHeight, fill: '#eef3fb', stroke: '#4a78c2' }));
    svg.append(buffer);
    svg.append(h.svg('path', { d: `M230,40 C265,40 265,${22 + slotHeight / 2} ${slotsX},${22 + slotHeight / 2}`, fill: 'none', stroke: '#333', 'marker-end': 'url(#pointer)' }));
  }
  items.forEach((item, index) => {
    const group = h.svg('g', { class: 'object', 'data-role': 'item' });
    group.append(h.svg('rect', { x: itemX, y: itemY(index), width: 300, height: 34, rx: 4, fill: item.shared ? '#e8f5e9' : '#fff7d6', stroke: '#8a6d00' }));
    const repr = item.repr.length > 30 ? `${item.repr.slice(0, 27)}...` : item.repr;
    group.append(text(itemX + 8, itemY(index) + 15, repr, { 'font-family': 'monospace' }));
    group.append(text(itemX + 8, itemY(index) + 29, `getsizeof ${item.size} B${item.shared ? ', shared (cached or interned)' : ''}`, { 'font-size': 11, fill: '#555' }));
    svg.append(group);
    const fromX = slotsX === 0 ? 230 : slotsX + 30;
    const fromY = slotsX === 0 ? 40 : 22 + index * slotHeight + slotHeight / 2;
    svg.append(h.svg('circle', { cx: fromX, cy: fromY, r: 3, fill: '#333' }));
    svg.append(h.svg('path', { d: `M${fromX},${fromY} C${fromX + 120},${fromY} ${itemX - 120},${itemY(index) + 17} ${itemX},${itemY(index) + 17}`, fill: 'none', stroke: '#333', 'marker-end': 'url(#pointer)', class: 'pointer' }));
  });
  if (data.items.length > SHOWN) svg.append(text(itemX, itemY(SHOWN) + 10, `... and ${data.items.length - SHOWN} more items`));
  box.append(h.figure(svg, 'the object, its buffer and the objects its slots point to (items are not counted in getsizeof)'));
  box.append(h.table(['object', 'getsizeof'], [[data.repr.length > 60 ? `${data.repr.slice(0, 57)}...` : data.repr, data.size], ...data.items.slice(0, SHOWN).map((item) => [item.repr, item.size])]));
}

export function drawFragmentation(data: Extract<SimReportData, { demo: 'fragmentation' }>, root: Element, h: Helpers): void {
  const box = h.section(root, `${data.objects} floats, keep one in every ${data.keepEvery}`, `${data.objectBytes} bytes each in 32-byte blocks: an arena stays mapped while one block in it is in use`);
  const arenas = Math.max(1, ...data.phases.map((phase) => phase.arenasHighWater));
  const cell = 28;
  const width = 260 + arenas * (cell + 4) + 320;
  const height = 30 + data.phases.length * (cell + 12);
  const svg = h.svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'arena-map' });
  data.phases.forEach((phase, row) => {
    const y = 20 + row * (cell + 12);
    const label = h.svg('text', { x: 0, y: y + cell / 2 + 4 });
    label.textContent = phase.phase;
    svg.append(label);
    for (let arena = 0; arena < arenas; arena++) {
      const inUse = arena < phase.arenas;
      const rect = h.svg('rect', { x: 250 + arena * (cell + 4), y, width: cell, height: cell, fill: inUse ? '#4a78c2' : '#fff', stroke: inUse ? '#2d4f87' : '#bbb', 'stroke-dasharray': inUse ? '' : '3 2', class: inUse ? 'arena in-use' : 'arena free' });
      const title = h.svg('title');
      title.textContent = `${phase.phase}: arena ${arena} ${inUse ? 'mapped' : 'not mapped'}; ${phase.poolsInUse} pools in use over all arenas, ${(phase.utilization * 100).toFixed(2)}% of mapped bytes in use`;
      rect.append(title);
      svg.append(rect);
    }
    const pools = h.svg('text', { x: 260 + arenas * (cell + 4) + 10, y: y + cell / 2 + 4, fill: '#555' });
    pools.textContent = `${phase.poolsInUse} pools in use, ${phase.liveObjects} blocks live, ${(phase.utilization * 100).toFixed(2)}% used`;
    svg.append(pools);
  });
  box.append(h.figure(svg, 'arenas at each phase: filled, mapped; dashed, not mapped (of the most ever mapped)'));
  const bytes = data.phases.flatMap((phase) => [{ phase: phase.phase, kind: 'in use', bytes: phase.bytesInAllocatedBlocks }, { phase: phase.phase, kind: 'held, unused', bytes: phase.fragmentationBytes }]);
  const chart = Plot.plot({
    width: 720,
    height: 60 + 34 * data.phases.length,
    marginLeft: 230,
    x: { label: 'bytes', grid: true },
    y: { label: null, domain: data.phases.map((phase) => phase.phase) },
    color: { domain: ['in use', 'held, unused'], range: ['#4a78c2', '#e0a21b'], legend: true },
    marks: [Plot.barX(bytes, { y: 'phase', x: 'bytes', fill: 'kind', title: (d: { kind: string; bytes: number }) => `${d.kind}: ${d.bytes} B` }), Plot.ruleX([0])],
  });
  chart.classList.add('bytes-chart');
  box.append(h.figure(chart, 'bytes in allocated blocks against bytes the arenas hold unused'));
  box.append(h.table(['phase', 'live', 'arenas', 'freed', 'pools', 'in use B', 'held, unused B', 'use'], data.phases.map((p) => [p.phase, p.liveObjects, p.arenas, p.arenasReclaimed, p.poolsInUse, p.bytesInAllocatedBlocks, p.fragmentationBytes, `${(p.utilization * 100).toFixed(2)}%`])));
}

export function drawListGrowth(data: Extract<SimReportData, { demo: 'list-growth' }>, root: Element, h: Helpers): void {
  const box = h.section(root, `A list grown by ${data.appends} appends`, `it reallocates ${data.resizes.length} times (list_resize over-allocates); final size ${data.finalSize} bytes`);
  drawGrowthSteps(box, 'list', data.resizes, data.appends, data.finalSize, h);
  box.append(h.table(['len', 'allocated', 'getsizeof'], data.resizes.map((r) => [r.length, r.allocated, r.size])));
}

export function drawContainerGrowth(data: Extract<SimReportData, { demo: 'container-growth' }>, root: Element, h: Helpers): void {
  const what = data.container === 'dict' ? 'd[key] = None' : 's.add(key)';
  const box = h.section(root, `A ${data.container} grown by ${data.insertions} insertions (${what}, ${data.keys} keys)`, `its table resizes ${data.resizes.length} times; final size ${data.finalSize} bytes`);
  drawGrowthSteps(box, data.container, data.resizes, data.insertions, data.finalSize, h);
  box.append(h.table(['len', 'getsizeof'], data.resizes.map((r) => [r.length, r.size])));
}

/** getsizeof against length as a step curve, a dot at each reallocation. */
export function drawGrowthSteps(box: Element, container: string, resizes: { length: number; size: number }[], finalLength: number, finalSize: number, h: Helpers): void {
  const steps = [...resizes.map((r) => ({ length: r.length, size: r.size })), { length: finalLength, size: finalSize }];
  const chart = Plot.plot({
    width: 900,
    height: 360,
    marginLeft: 70, // room for a size such as 295,000 beside the axis
    x: { label: `len(${container})`, grid: true },
    y: { label: 'sys.getsizeof', grid: true },
    marks: [Plot.line(steps, { x: 'length', y: 'size', curve: 'step-after', stroke: '#4a78c2' }), Plot.dot(resizes, { x: 'length', y: 'size', fill: '#d23c3c', title: (r: { length: number; size: number }) => `len ${r.length}: ${r.size} B` })],
  });
  chart.classList.add('growth-chart');
  box.append(h.figure(chart, 'getsizeof against length; red dots: where it reallocates'));
}

export function drawCycle(data: Extract<SimReportData, { demo: 'cycle' }>, root: Element, h: Helpers): void {
  const box = h.section(root, 'A reference cycle', 'del leaves the two objects alive (each still refers to the other); gc.collect() finds and frees them');
  const counts = data.steps.flatMap((step, index) => Object.entries(step.refcounts).map(([name, count]) => ({ step: index + 1, name, count })));
  const chart = Plot.plot({ width: 640, height: 240, x: { label: 'step', type: 'band' }, y: { label: 'refcount', grid: true }, color: { legend: true }, marks: [Plot.barY(counts, { x: 'step', y: 'count', fill: 'name', fx: undefined }), Plot.ruleY([0])] });
  chart.classList.add('refcount-chart');
  box.append(h.figure(chart, 'refcounts after each step'));
  box.append(h.table(['step', 'code', 'refcounts', 'alive'], data.steps.map((step, index) => [index + 1, h.code(step.code), Object.entries(step.refcounts).map(([name, count]) => `${name}: ${count}`).join(', '), step.alive ? 'alive' : `freed${step.collected === undefined ? '' : ` (${step.collected} collected)`}`])));
}

export function drawGenerations(data: Extract<SimReportData, { demo: 'generations' }>, root: Element, h: Helpers): void {
  const box = h.section(root, 'The GC generations', `gc.get_threshold() == (${data.thresholds.join(', ')})`);
  const points = data.steps.map((step, index) => ({ step: index + 1, generation: step.generationOfX, code: step.code }));
  const chart = Plot.plot({ width: 640, height: 220, x: { label: 'step', type: 'band' }, y: { label: 'generation of x', domain: [0, 1, 2], type: 'point' }, marks: [Plot.dot(points, { x: 'step', y: 'generation', r: 6, fill: '#4a78c2', title: 'code' })] });
  chart.classList.add('generation-chart');
  box.append(h.figure(chart, 'the generation x is in after each step'));
  box.append(h.table(['step', 'code', 'gc.get_count()', 'x in generation', 'collections (gen 0, 1, 2)'], data.steps.map((step, index) => [index + 1, step.code, `(${step.count.join(', ')})`, step.generationOfX, step.collections.join(', ')])));
  if (data.schedule !== undefined) box.append(h.el('p', {}, `keep = [[] for _ in range(${data.schedule.allocations})]: automatic collections per generation: ${data.schedule.collections.join(', ')}`));
}
