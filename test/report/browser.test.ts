/*
 * The HTML reports in a real browser: each kind is written by the built CLI
 * (bin/memplay.js ... --html FILE), opened from file:// in Debian's headless
 * Chromium (bench/lib/report-browser.ts; launched once for the file), and must
 * make no request to anything but its own file, log no console error, and hold
 * the marks its data says: one bar per outcome, one lane per thread, one arena
 * cell per arena and phase, four objects for [1, (2, 3), 'a'], one row per step
 * of each explore witness, whose player's next button and arrow keys move the
 * highlighted row and the state panel. A screenshot of each goes to
 * test-output/screenshots/ (MEMPLAY_SCREENSHOTS=docs/screenshots writes the
 * README's). Without /usr/bin/chromium the browser tests are skipped
 * and their title says why; under .ci/run (MEMPLAY_REQUIRE_BROWSER=1) that fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, openReport, type OpenedReport } from '../../bench/lib/report-browser.js';
import { memplay, memplayAsync } from '../helpers/cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const screenshots = join(root, process.env.MEMPLAY_SCREENSHOTS ?? 'test-output/screenshots');
const missing = chromiumMissing();
if (missing !== null) process.stderr.write(`test/report/browser.test.ts: browser tests SKIPPED: ${missing}\n`);

/** The JSON a report embeds. */
function embedded(file: string): any {
  const html = readFileSync(file, 'utf8');
  const json = /<script id="memplay-data"[^>]*>([\s\S]*?)<\/script>/.exec(html)![1];
  return JSON.parse(json);
}

/** Writes a report with the CLI; its stdout must be what the same command prints without --html. */
async function writeReport(folder: string, name: string, args: string[], timeoutMs = 120_000): Promise<string> {
  const file = join(folder, `${name}.html`);
  const result = await memplayAsync([...args, '--html', file], timeoutMs);
  if (result.status === 2 || result.status === null) throw new Error(`memplay ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  expect(result.stderr).toContain(`report written to ${file}`);
  return file;
}

describe.skipIf(missing !== null)(`HTML reports in Chromium${missing === null ? '' : ` (SKIPPED: ${missing})`}`, () => {
  let browser: Browser;
  let folder: string;
  const opened: OpenedReport[] = [];

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'memplay-report-'));
    mkdirSync(screenshots, { recursive: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  });

  /** Opens the report, checks what every report must, and leaves a screenshot. */
  async function open(file: string, name: string): Promise<OpenedReport> {
    const report = await openReport(browser, file);
    opened.push(report);
    expect(report.foreignRequests).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(await report.page.evaluate(() => document.getElementById('report').dataset.drawn)).toBe('true');
    // Plot draws a ⚠ in a chart whose data it could not read as told (a colour it could not resolve, numbers as names).
    expect(await report.page.evaluate(() => [...document.querySelectorAll('svg')].some((svg: any) => svg.textContent.includes('⚠')))).toBe(false);
    await report.page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
    // Opened on a phone or half a classroom screen: nothing pushes the page sideways (wide tables scroll inside themselves).
    const narrow = await browser.newPage({ viewport: { width: 400, height: 800 } });
    await narrow.goto(pathToFileURL(file).href);
    await narrow.waitForSelector('#report[data-drawn="true"]', { timeout: 30_000 });
    expect(await narrow.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
    await narrow.close();
    return report;
  }

  /** Per chart matching `selector`, the elements Plot drew for its `mark` (bar, line, dot) with a datum bound to each. */
  async function boundMarks(report: OpenedReport, selector: string, mark: 'bar' | 'line' | 'dot'): Promise<number[]> {
    return report.page.evaluate(
      ([css, label]) =>
        [...document.querySelectorAll(css)].map((chart: any) => {
          const shape = ({ bar: 'rect', line: 'path', dot: 'circle' } as Record<string, string>)[label];
          return [...chart.querySelectorAll(`g[aria-label="${label}"] ${shape}`)].filter((element: any) => element.__data__ !== undefined).length;
        }),
      [selector, mark],
    );
  }

  it('run: one bar per outcome of each variant, one per run, the wait-for graph of a hang', async () => {
    const file = await writeReport(folder, 'run', ['run', 'lost-update', '--repeat', '3', '--iterations', '200000']);
    const data = embedded(file);
    const report = await open(file, 'run');
    expect(await boundMarks(report, '.outcome-chart', 'bar')).toEqual(data.variants.map((variant: any) => variant.table.length));
    expect(await boundMarks(report, '.observed-chart', 'bar')).toEqual(data.variants.map((variant: any) => variant.runs.length));
    const badges = await report.page.evaluate(() => [...document.querySelectorAll('.badge')].map((badge: any) => badge.textContent));
    expect(badges).toContain('ACCEPTABLE');
    // The terminal's verdict line, per variant.
    expect(await report.page.evaluate(() => document.querySelector('p.verdict')!.textContent)).toBe(`Verdict: ${data.verdict.replace(/^verdict: /, '')}`);
    expect(data.verdict).toMatch(/^verdict: racy: \d\/3 /);

    const hung = await writeReport(folder, 'run-deadlock', ['run', 'deadlock-dining-philosophers', '--variant', 'racy', '--repeat', '1', '--timeout', '1']);
    const graph = embedded(hung).variants[0].runs[0].hang.graph;
    const deadlock = await open(hung, 'run-deadlock');
    const drawn = await deadlock.page.evaluate(() => ({ nodes: document.querySelectorAll('svg.wait-graph g.node').length, waits: document.querySelectorAll('svg.wait-graph line[data-edge="waits"]').length }));
    expect(drawn).toEqual({ nodes: graph.nodes.length, waits: graph.edges.filter((edge: any) => edge.kind === 'waits').length });
    expect(graph.nodes.length).toBe(10);
  });

  it('run script.py: the outcomes as a table and one bar each, and every run in a row', async () => {
    const script = join(root, 'test/python/scripts/outcomes.py');
    const file = await writeReport(folder, 'python', ['run', script, '7', '--repeat', '2', '--outcome', 'answer=(\\d+)']);
    const data = embedded(file);
    expect(data).toMatchObject({ script, argv: ['7'], outcomes: [{ outcome: '7', count: 2 }] });
    const report = await open(file, 'python');
    expect(await boundMarks(report, '.outcome-chart', 'bar')).toEqual([1]);
    const tables = await report.page.evaluate(() => ({
      outcomes: [...document.querySelectorAll('table.outcomes tbody tr')].map((tr: any) => tr.textContent),
      runs: document.querySelectorAll('section:last-of-type table tbody tr').length,
    }));
    expect(tables).toEqual({ outcomes: ['72100.0%'], runs: 2 });
    expect(await report.page.evaluate(() => [...document.querySelectorAll('h3')].map((h: any) => h.textContent))).toEqual([]);

    const failing = await writeReport(folder, 'python-fails', ['run', join(root, 'test/python/scripts/child-raises.py')]);
    const failed = await open(failing, 'python-fails');
    const shown = await failed.page.evaluate(() => [...document.querySelectorAll('h3')].map((h: any) => [h.textContent, h.nextElementSibling.textContent]));
    expect(shown).toHaveLength(1);
    expect(shown[0][0]).toBe('Run 1: what the processes wrote to stderr');
    expect(shown[0][1]).toMatch(/^Process-1:\nProcess Process-1:\nTraceback \(most recent call last\):\n {2}File ".*child-raises\.py", line 6, in work\n/);
    expect(shown[0][1]).toMatch(/RuntimeError: child failed$/);
  });

  it('explore: one bar per outcome, the step player moves its highlighted row and state, the verdict, a deadlock\'s wait-for graph', async () => {
    const file = await writeReport(folder, 'explore', ['explore', 'lost-update']);
    const data = embedded(file);
    const report = await open(file, 'explore');
    expect(await boundMarks(report, '.outcome-chart', 'bar')).toEqual(data.variants.map((variant: any) => variant.outcomes.length));
    const witnesses = data.variants.flatMap((variant: any) => variant.outcomes.filter((outcome: any) => outcome.witness !== undefined).map((outcome: any) => outcome.witness));
    expect(witnesses.length).toBeGreaterThan(0);
    const drawn = await report.page.evaluate(() => [...document.querySelectorAll('.witness')].map((witness: any) => ({ rows: witness.querySelectorAll('table.steps tbody tr').length, replay: witness.querySelector('pre.code code').textContent })));
    expect(drawn).toEqual(witnesses.map((witness: any) => ({ rows: witness.rows.length, replay: `memplay explore lost-update --replay ${witness.id}` })));
    const verdicts = await report.page.evaluate(() => [...document.querySelectorAll('section p.verdict')].slice(1).map((p: any) => p.textContent));
    expect(verdicts).toEqual(data.variants.map((variant: any) => `Verdict: ${variant.verdict}`));
    expect(verdicts[1]).toMatch(/^Verdict: verified at K=2/);

    const rows = witnesses[0].rows;
    const player = report.page.locator('.player').first();
    const seen = () => player.evaluate((element: any) => ({ step: element.dataset.step, current: [...element.querySelectorAll('tr.current')].map((tr: any) => tr.dataset.step), state: element.querySelector('.state').textContent, slider: element.querySelector('input[type=range]').value }));
    const at = (step: number) => ({ step: String(step), current: [String(step)], state: rows[step - 1].state, slider: String(step) });
    expect(await seen()).toEqual(at(1));
    await player.locator('button[data-action="next"]').click();
    expect(await seen()).toEqual(at(2));
    await player.press('ArrowRight');
    expect(await seen()).toEqual(at(3));
    await player.press('ArrowLeft');
    expect(await seen()).toEqual(at(2));
    // Space on a focused button presses it (one step on), and does not start playing.
    await player.locator('button[data-action="next"]').press(' ');
    expect(await seen()).toEqual(at(3));
    expect(await player.locator('button[data-action="play"]').textContent()).toBe('▶ play');
    await player.locator('button[data-action="previous"]').press(' ');
    expect(await seen()).toEqual(at(2));
    for (let step = 3; step <= rows.length; step++) await player.locator('button[data-action="next"]').click();
    expect(await seen()).toEqual(at(rows.length));
    await player.locator('button[data-action="next"]').click();
    expect(await seen()).toEqual(at(rows.length));
    await player.locator('button[data-action="first"]').click();
    expect(await seen()).toEqual(at(1));

    const hung = await writeReport(folder, 'explore-deadlock', ['explore', 'deadlock-dining-philosophers', '--variant', 'racy']);
    const witness = embedded(hung).variants[0].outcomes.find((outcome: any) => outcome.outcome === 'deadlock').witness;
    expect(witness.hang.cycle).toEqual([0, 1]);
    const deadlock = await open(hung, 'explore-deadlock');
    const graph = await deadlock.page.evaluate(() => ({ nodes: document.querySelectorAll('svg.wait-graph g.node').length, waits: document.querySelectorAll('svg.wait-graph line[data-edge="waits"]').length, held: document.querySelectorAll('svg.wait-graph line[data-edge="held"]').length }));
    expect(graph).toEqual({ nodes: witness.graph.nodes.length, waits: 2, held: 2 });
    expect(witness.graph.nodes.length).toBe(4);
  });

  it('gil --timeline: one lane per thread in every mode and the convoy, and the zoom redraws them', async () => {
    const file = await writeReport(folder, 'gil', ['gil', '--timeline', '--workers', '2', '--work', '1000', '--round-trips', '50'], 180_000);
    const data = embedded(file);
    const report = await open(file, 'gil');
    const lanes = () => report.page.evaluate(() => [...document.querySelectorAll('.timeline-chart')].map((chart: any) => new Set([...chart.querySelectorAll('g[aria-label="bar"] rect')].map((bar: any) => bar.getAttribute('y'))).size));
    expect(await lanes()).toEqual(data.timelines.map((timeline: any) => timeline.lanes.length));
    expect(data.timelines.map((timeline: any) => timeline.lanes.length)).toEqual([...data.lab.modes.map((mode: any) => mode.threads), 2]);
    expect((await boundMarks(report, '.speedup-chart', 'bar'))[0]).toBe(data.lab.modes.filter((mode: any) => mode.speedup !== null).length);
    await report.page.fill('input[aria-label="to ms"]', '1');
    await report.page.dispatchEvent('input[aria-label="to ms"]', 'change');
    const ticks: number[] = await report.page.evaluate(() => [...document.querySelectorAll('.timeline-chart g[aria-label="x-axis tick label"] text')].map((tick: any) => Number(tick.textContent)));
    expect(ticks.length).toBeGreaterThan(0);
    expect(Math.max(...ticks)).toBeLessThanOrEqual(1);
    await report.page.click('text=whole run');
    const whole = Number(await report.page.inputValue('input[aria-label="to ms"]'));
    const brush = report.page.locator('.timeline-chart .brush .overlay').first();
    await brush.scrollIntoViewIfNeeded();
    const overlay = (await brush.boundingBox())!;
    const y = overlay.y + overlay.height / 2;
    await report.page.mouse.move(overlay.x + overlay.width * 0.25, y);
    await report.page.mouse.down();
    await report.page.mouse.move(overlay.x + overlay.width * 0.5, y, { steps: 5 });
    await report.page.mouse.up();
    const [from, to] = [Number(await report.page.inputValue('input[aria-label="from ms"]')), Number(await report.page.inputValue('input[aria-label="to ms"]'))];
    expect(from).toBeGreaterThan(0);
    expect(to).toBeLessThan(whole);
    expect(to).toBeGreaterThan(from);
  });

  it('stress: the latency percentile plot, one bar per worker for its share and its time', async () => {
    const file = await writeReport(folder, 'stress', ['stress', 'lock', '--duration', '1', '--workers', '3']);
    const data = embedded(file);
    const report = await open(file, 'stress');
    expect(await boundMarks(report, '.latency-chart', 'line')).toEqual([1]);
    expect(await boundMarks(report, '.share-chart', 'bar')).toEqual([data.reports[0].workers.length]);
    expect(await boundMarks(report, '.blocked-chart', 'bar')).toEqual([2 * data.reports[0].workers.length]);
  });

  it('sim fragmentation: an arena cell per arena and phase, the bytes per phase', async () => {
    const file = await writeReport(folder, 'sim-fragmentation', ['sim', 'fragmentation']);
    const data = embedded(file);
    const report = await open(file, 'sim-fragmentation');
    const most = Math.max(...data.phases.map((phase: any) => phase.arenasHighWater));
    const cells = await report.page.evaluate(() => ({ all: document.querySelectorAll('svg.arena-map rect.arena').length, inUse: document.querySelectorAll('svg.arena-map rect.in-use').length }));
    expect(cells).toEqual({ all: most * data.phases.length, inUse: data.phases.reduce((sum: number, phase: any) => sum + phase.arenas, 0) });
    expect(await boundMarks(report, '.bytes-chart', 'bar')).toEqual([2 * data.phases.length]);
  });

  it("sim sizeof \"[1, (2, 3), 'a']\": the object diagram holds 4 objects and a pointer to each item", async () => {
    const file = await writeReport(folder, 'sim-sizeof', ['sim', 'sizeof', "[1, (2, 3), 'a']"]);
    const report = await open(file, 'sim-sizeof');
    const diagram = await report.page.evaluate(() => ({ objects: document.querySelectorAll('svg.object-diagram g.object').length, pointers: document.querySelectorAll('svg.object-diagram path.pointer').length }));
    expect(diagram).toEqual({ objects: 4, pointers: 3 });
  });

  it('sim list-growth, dict-growth, cycle and generations draw their charts', async () => {
    const charts = [
      ['sim-list-growth', ['sim', 'list-growth', '1000'], '.growth-chart', 'dot'],
      ['sim-dict-growth', ['sim', 'dict-growth', '100', '--keys', 'str'], '.growth-chart', 'dot'],
      ['sim-cycle', ['sim', 'cycle'], '.refcount-chart', 'bar'],
      ['sim-generations', ['sim', 'generations'], '.generation-chart', 'dot'],
    ] as const;
    // The model is deterministic: its four reports are written at once, then opened one by one.
    const files = await Promise.all(charts.map(([name, args]) => writeReport(folder, name, [...args])));
    for (const [index, [name, , chart, mark]] of charts.entries()) {
      const report = await open(files[index], name);
      const counts = await boundMarks(report, chart, mark);
      expect([name, counts.length]).toEqual([name, 1]);
      expect([name, counts[0] > 0]).toEqual([name, true]);
      await report.page.context().close();
    }
  });
});

describe('Chromium for the browser tests', () => {
  it.runIf(process.env.MEMPLAY_REQUIRE_BROWSER === '1')('is installed where CI requires it', () => {
    expect(missing).toBeNull();
  });
});

describe('--html on the command line', () => {
  it('leaves stdout as it is without --html', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'memplay-report-'));
    try {
      // Deterministic commands, each run with and without --html, all at once.
      const commands = [['sim', 'sizeof', "[1, (2, 3), 'a']"], ['sim', 'fragmentation'], ['sim', 'cycle'], ['explore', 'lost-update']];
      const runs = await Promise.all(commands.map((args, index) => Promise.all([memplayAsync(args), memplayAsync([...args, '--html', join(folder, `r${index}.html`)])])));
      const timesMasked = (text: string) => text.replace(/[\d.]+ s with worker start, \d+ steps\/s/g, 'TIME');
      for (const [plain, html] of runs) expect([html.status, timesMasked(html.stdout)]).toEqual([plain.status, timesMasked(plain.stdout)]);
      const [, html] = runs[3];
      expect(html.stderr).toContain('report written to');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('--open without a system opener writes the report and says where it is', () => {
    const folder = mkdtempSync(join(tmpdir(), 'memplay-report-'));
    try {
      const file = join(folder, 'z.html');
      const run = spawnSync(process.execPath, [join(root, 'bin', 'memplay.js'), 'sim', 'sizeof', '(1, 2)', '--html', file, '--open'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, PATH: folder } });
      expect(run.status).toBe(0);
      expect(existsSync(file)).toBe(true);
      expect(run.stderr).toContain(`no system opener found`);
      expect(run.stderr).toContain(`file://${file}`);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuses a missing folder, a folder as the file, no name, a file that cannot be opened for writing, and --open without --html: one line, exit 2, before the run', () => {
    const line = (args: string[]) => {
      const result = memplay(args);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      return result.stderr;
    };
    expect(line(['sim', 'fragmentation', '--html', '/no/such/folder/r.html'])).toContain('does not exist');
    expect(line(['run', 'lost-update', '--html', tmpdir()])).toContain('is a folder');
    expect(line(['gil', '--html', join(tmpdir(), 'no-such-folder-memplay', 'g.html')])).toContain('does not exist');
    expect(line(['stress', 'lock', '--open'])).toContain('--open needs --html');
    expect(line(['explore', 'lost-update', '--html', '/no/such/folder/e.html'])).toContain('does not exist');
    expect(line(['explore', 'lost-update', '--html', tmpdir()])).toContain('is a folder');
    expect(line(['run', 'lost-update', '--html', ''])).toBe('memplay: --html needs a file name\n');
    expect(line(['sim', 'cycle', '--html', '-'])).toMatch(/^memplay: --html - : a report is a page to open in a browser, not a stream/);
    // /proc takes no new files, even from root (for whom no permission check fails).
    expect(line(['run', 'lost-update', '--html', '/proc/memplay-report.html'])).toMatch(/^memplay: --html \/proc\/memplay-report\.html: cannot write there \(E[A-Z]+\)\n$/);
  });
});
