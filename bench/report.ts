/*
 * The HTML reports' weight and speed (not a test): each kind of report is
 * written by the built CLI (bin/memplay.js ... --html), then opened --reps times
 * from file:// in headless Chromium (bench/lib/report-browser.ts), each time in
 * a fresh browser context; the table gives the file's size and the first paint
 * (Paint Timing API, ms from navigation start) as median, min and max, with the
 * machine's load average beside. Targets: the largest file under 2 MB, every
 * first paint's median under 1 s.
 *
 * Usage: npm run build && node dist/bench/report.js [--reps N] [--json]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../src/package-info.js';
import { textTable } from '../src/text/table.js';
import { parseBenchArguments } from './lib/arguments.js';
import { chromiumMissing, launchChromium, openReport } from './lib/report-browser.js';
import { spread, type Spread } from './lib/spread.js';

/** Each kind of report and the command that writes it (the examples, at their default sizes). */
export const REPORT_COMMANDS: ReadonlyArray<{ name: string; args: string[] }> = [
  { name: 'run lost-update', args: ['run', 'lost-update'] },
  { name: 'run deadlock (hang graph)', args: ['run', 'deadlock-dining-philosophers', '--variant', 'racy', '--timeout', '1'] },
  { name: 'explore lost-update', args: ['explore', 'lost-update'] },
  { name: 'explore deadlock (hang graph)', args: ['explore', 'deadlock-dining-philosophers'] },
  { name: 'gil --timeline', args: ['gil', '--timeline'] },
  { name: 'stress lock', args: ['stress', 'lock', '--duration', '1'] },
  { name: 'sim fragmentation', args: ['sim', 'fragmentation'] },
  { name: 'sim sizeof', args: ['sim', 'sizeof', "[1, (2, 3), 'a']"] },
  { name: 'sim list-growth 1000000', args: ['sim', 'list-growth', '1000000'] },
];

const MAX_BYTES = 2 * 1024 * 1024;
const MAX_FIRST_PAINT_MS = 1000;

export interface ReportBenchRow {
  name: string;
  bytes: number;
  firstPaintMs: Spread;
}

function writeReport(folder: string, index: number, args: string[]): string {
  const file = join(folder, `report-${index}.html`);
  const result = spawnSync(process.execPath, [join(packageRoot(), 'bin', 'memplay.js'), ...args, '--html', file], { encoding: 'utf8', timeout: 600_000 });
  if (result.status === 2 || result.status === null) throw new Error(`memplay ${args.join(' ')} failed: ${result.stderr.split('\n')[0]}`);
  return file;
}

async function main(): Promise<void> {
  const options = parseBenchArguments('bench:report', process.argv.slice(2), 7);
  const missing = chromiumMissing();
  if (missing !== null) {
    process.stderr.write(`bench:report: cannot measure first paint: ${missing}\n`);
    process.exit(1);
  }
  const folder = mkdtempSync(join(tmpdir(), 'memplay-report-bench-'));
  const loadBefore = loadavg()[0];
  const browser = await launchChromium();
  const rows: ReportBenchRow[] = [];
  try {
    for (const [index, command] of REPORT_COMMANDS.entries()) {
      const file = writeReport(folder, index, command.args);
      const paints: number[] = [];
      for (let rep = 0; rep < options.reps; rep++) {
        const opened = await openReport(browser, file);
        if (opened.errors.length > 0 || opened.foreignRequests.length > 0) throw new Error(`${command.name}: ${[...opened.errors, ...opened.foreignRequests].join('; ')}`);
        paints.push(opened.firstPaintMs);
        await opened.page.context().close();
      }
      rows.push({ name: command.name, bytes: statSync(file).size, firstPaintMs: spread(paints) });
    }
  } finally {
    await browser.close();
    rmSync(folder, { recursive: true, force: true });
  }
  const loadAfter = loadavg()[0];
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ rows, loadBefore, loadAfter })}\n`);
    return;
  }
  process.stdout.write(`${formatReportBench(rows)}\n(${options.reps} openings each, fresh context each; load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after)\n`);
}

export function formatReportBench(rows: readonly ReportBenchRow[]): string {
  const table = textTable(
    ['report', 'size KB', 'first paint ms median', 'min', 'max'],
    rows.map((row) => [row.name, (row.bytes / 1024).toFixed(0), row.firstPaintMs.median.toFixed(0), row.firstPaintMs.min.toFixed(0), row.firstPaintMs.max.toFixed(0)]),
  );
  const largest = rows.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const slowest = rows.reduce((a, b) => (b.firstPaintMs.median > a.firstPaintMs.median ? b : a));
  const verdicts = [
    `largest: ${largest.name}, ${(largest.bytes / 1024).toFixed(0)} KB (target under ${MAX_BYTES / 1024 / 1024} MB: ${largest.bytes < MAX_BYTES ? 'met' : 'MISSED'})`,
    `slowest first paint: ${slowest.name}, median ${slowest.firstPaintMs.median.toFixed(0)} ms (target under ${MAX_FIRST_PAINT_MS} ms: ${slowest.firstPaintMs.median < MAX_FIRST_PAINT_MS ? 'met' : 'MISSED'})`,
  ];
  return `${table}\n${verdicts.join('\n')}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
