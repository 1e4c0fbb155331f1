/*
 * Draws a `memplay explore` report in the browser: per variant how it was
 * explored, the outcome table and bars (schedules per outcome, jcstress
 * colours), each witness as a step player in the manner of The Deadlock Empire,
 * and the verdict. The player is the witness's step table (one column per
 * worker, the shared state after each step) with a current step: the buttons,
 * the slider, play and the arrow keys move it; its row is highlighted, the steps
 * after it dimmed, and the panel above shows each worker's latest operation
 * and the shared state after that step. A hung witness adds its wait lines, its
 * wait-for cycle and the graph of who waits for which lock held by whom. The
 * outcome bars and the wait graph are draw/run.ts's (the page inlines both).
 */
import type { Element } from './globals.js';
import type { Helpers } from './helpers.js';
import { outcomeChart, waitGraphFigure } from './run.js';
import type { ExploreReportData } from '../explore.js';
import type { WitnessRow } from '../../explorer/explore.js';

type VariantData = ExploreReportData['variants'][number];
type OutcomeData = VariantData['outcomes'][number];

export function drawExplore(data: ExploreReportData, root: Element, h: Helpers): void {
  const intro = h.section(root, data.scenario, data.summary);
  intro.append(h.code(data.explain));
  intro.append(h.el('p', { class: 'verdict' }, data.forbidden ? 'Verdict: a FORBIDDEN outcome was found (its witness is below).' : 'Verdict: no FORBIDDEN outcome in any schedule explored.'));
  for (const variant of data.variants) {
    const box = h.section(root, `variant ${variant.variant}`, variant.summary);
    box.dataset.variant = variant.variant;
    box.append(h.el('p', {}, exploredHow(variant)));
    if (variant.python !== undefined) box.append(h.el('h3', {}, 'The Python each worker runs'), h.code(variant.python));
    const rows = variant.outcomes.map((o) => [o.outcome, o.count, `${((100 * o.count) / Math.max(variant.schedules, 1)).toFixed(1)}%`, h.classBadge(o.classification), o.description]);
    const table = h.el('div', {}, h.el('h3', {}, 'Outcomes'), h.table(['outcome', 'schedules', 'share', 'classification', 'meaning'], rows));
    box.append(h.el('div', { class: 'row' }, table, h.figure(outcomeChart(variant.outcomes, 'schedules', h), 'schedules per outcome (green ACCEPTABLE, amber INTERESTING, red FORBIDDEN)')));
    variant.outcomes.forEach((outcome, index) => {
      if (outcome.witness !== undefined) drawWitness(box, variant, outcome, `${data.variants.indexOf(variant)}-${index}`, h);
    });
    box.append(h.el('p', { class: `verdict ${variant.verified ? 'verified' : variant.forbidden ? 'forbidden' : ''}` }, h.el('strong', {}, 'Verdict: '), variant.verdict));
  }

  function exploredHow(v: VariantData): string {
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    const how = v.strategy === 'dfs' ? `dfs, at most ${plural(v.preemptions, 'preemption')}, sleep sets` : v.strategy === 'pct' ? `pct, depth ${v.depth}` : v.strategy === 'random' ? `random, seed ${v.seed}` : 'replay of one schedule';
    const cut = v.abandoned === 0 ? '' : ` (+${v.abandoned} cut short as equivalent to one already run, or past the bound)`;
    const size = v.script === true ? `at most ${v.workers} process${v.workers === 1 ? '' : 'es'}` : `${plural(v.workers, 'worker')} x ${plural(v.iterations, 'iteration')}`;
    return `${how}; ${size}, seed ${v.seed}: ${plural(v.schedules, 'schedule')}${cut}, ${plural(v.steps, 'step')}, ${v.seconds.toFixed(2)} s`;
  }
}

/** One witness: what it shows, the command that replays it, its step player, and a hang's wait-for report. */
export function drawWitness(box: Element, variant: VariantData, outcome: OutcomeData, key: string, h: Helpers): void {
  const witness = outcome.witness!;
  const holder = h.el('div', { class: 'witness' });
  holder.dataset.outcome = outcome.outcome;
  const title = variant.strategy === 'replay' ? 'The schedule replayed' : `Witness for ${outcome.outcome}`;
  const shape = `${witness.steps} step${witness.steps === 1 ? '' : 's'}, ${witness.preemptions} preemption${witness.preemptions === 1 ? '' : 's'} (the shortest schedule that gives this outcome)`;
  holder.append(h.el('h3', {}, `${title} `, h.classBadge(outcome.classification)), h.el('p', {}, `${outcome.observed}: ${shape}`));
  holder.append(h.el('p', {}, 'Replay exactly this schedule (its id: ', h.el('code', { class: 'replay-id' }, witness.id), '):'), h.code(witness.replay));
  holder.append(stepPlayer(variant.workers, witness.rows, h));
  if (witness.hang !== undefined) {
    holder.append(h.el('h3', {}, 'Hung: who waits for what'), h.code([...witness.hang.waits, ...(witness.hang.cycleText === null ? [] : [`wait-for cycle: ${witness.hang.cycleText}`])].join('\n')));
    if (witness.graph !== undefined && witness.graph.nodes.length > 0) holder.append(waitGraphFigure(witness.graph, `explore-${key}`, h));
  }
  box.append(holder);
}

/** The step table with a current step that the controls move. */
export function stepPlayer(workers: number, rows: readonly WitnessRow[], h: Helpers): Element {
  const player = h.el('div', { class: 'player', tabindex: '0', 'aria-label': 'step player: arrow keys move between steps' });
  const button = (label: string, name: string) => h.el('button', { type: 'button', 'data-action': name, 'aria-label': name }, label);
  const slider = h.el('input', { type: 'range', min: '1', max: String(rows.length), value: '1', 'aria-label': 'step' });
  const counter = h.el('span', { class: 'step-counter' });
  const play = button('▶ play', 'play');
  player.append(h.el('div', { class: 'controls' }, button('« first', 'first'), button('◀ previous', 'previous'), play, button('next ▶', 'next'), button('last »', 'last'), slider, counter));
  const lanes = Array.from({ length: workers }, (_, w) => h.el('div', { class: 'lane' }, h.el('strong', {}, `worker ${w}`), h.el('div', { class: 'lane-op' })));
  const state = h.el('div', { class: 'state' });
  player.append(h.el('div', { class: 'lanes' }, ...lanes, h.el('div', { class: 'lane shared' }, h.el('strong', {}, 'shared state after the step'), state)));
  const headers = ['step', ...lanes.map((_, w) => `worker ${w}`), 'shared state after'];
  const table = h.table(headers, rows.map((row) => [row.step, ...lanes.map((_, w) => (w === row.worker ? row.operation : '')), row.state]), { class: 'steps' });
  const bodyRows = [...table.querySelectorAll('tbody tr')];
  bodyRows.forEach((tr: Element, index: number) => {
    tr.dataset.step = String(index + 1);
    tr.children[rows[index].worker + 1].classList.add('acting');
    tr.addEventListener('click', () => show(index + 1));
  });
  const scroller = h.el('div', { class: 'steps-scroller' }, table);
  player.append(scroller);
  let current = 1;
  let timer: ReturnType<typeof setInterval> | undefined;

  function show(step: number): void {
    current = Math.min(Math.max(step, 1), rows.length);
    bodyRows.forEach((tr: Element, index: number) => {
      tr.classList.toggle('current', index + 1 === current);
      tr.classList.toggle('future', index + 1 > current);
    });
    player.dataset.step = String(current);
    slider.value = String(current);
    counter.textContent = `step ${current} of ${rows.length}`;
    lanes.forEach((lane: Element, w: number) => {
      const last = rows.slice(0, current).filter((row) => row.worker === w).pop();
      lane.classList.toggle('acting', rows[current - 1].worker === w);
      lane.querySelector('.lane-op').textContent = last === undefined ? 'not started' : `${last.operation} (step ${last.step})`;
    });
    state.textContent = rows[current - 1].state === '' ? '(nothing shared to show)' : rows[current - 1].state;
    const row = bodyRows[current - 1];
    if (row.offsetTop < scroller.scrollTop + row.offsetHeight || row.offsetTop + row.offsetHeight > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = row.offsetTop - scroller.clientHeight / 2;
  }
  function stop(): void {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    play.textContent = '▶ play';
  }
  function toggle(): void {
    if (timer !== undefined) return stop();
    if (current === rows.length) show(1);
    play.textContent = '⏸ pause';
    timer = setInterval(() => (current < rows.length ? show(current + 1) : stop()), 700);
  }
  const actions: Record<string, () => void> = {
    first: () => show(1),
    previous: () => show(current - 1),
    next: () => show(current + 1),
    last: () => show(rows.length),
    play: toggle,
  };
  player.querySelectorAll('button').forEach((b: Element) => b.addEventListener('click', () => {
    if (b.dataset.action !== 'play') stop();
    actions[b.dataset.action]();
  }));
  slider.addEventListener('input', () => {
    stop();
    show(Number(slider.value));
  });
  const KEYS: Record<string, string> = { ArrowRight: 'next', ArrowDown: 'next', ArrowLeft: 'previous', ArrowUp: 'previous', Home: 'first', End: 'last', ' ': 'play' };
  player.addEventListener('keydown', (event: { key: string; target: Element; preventDefault(): void }) => {
    const action = KEYS[event.key];
    // Space on a focused button presses that button, as everywhere else: play only from the player itself.
    const onButton = event.key === ' ' && (event.target as { tagName?: string }).tagName === 'BUTTON';
    if (action === undefined || event.target === slider || onButton) return;
    event.preventDefault();
    if (action !== 'play') stop();
    actions[action]();
  });
  show(1);
  return player;
}
