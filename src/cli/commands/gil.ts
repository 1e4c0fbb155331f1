/*
 * `memplay gil`: the GIL lab (src/gil). Runs one workload serially, as threads
 * under one modelled GIL, as processes (a GIL each) and free-threaded (no GIL),
 * prints a table of the measured figures, the convoy effect, a plain-language
 * reading, optionally an ASCII timeline and CPython's own speed-ups beside the
 * model's. It samples the machine's load before and during the run
 * (gil/machine-load.ts) and, when other work skews the figures, says so first.
 */
import { availableParallelism } from 'node:os';
import { Option, type Command } from 'commander';
import { integerAtLeast, listOf, oneOf, positiveNumber, workerCount } from '../arguments.js';
import { LIMITS } from '../limits.js';
import { CliContext } from '../context.js';
import { UsageError } from '../usage-error.js';
import { wrapText } from '../wrap.js';
import type { ConvoyResult, ConvoyRun } from '../../gil/convoy.js';
import type { CpythonResult } from '../../gil/cpython.js';
import type { MachineLoad } from '../../gil/machine-load.js';
import type { LabResult, ModeResult } from '../../gil/lab.js';
import { CONVOY_LABELS, DEFAULT_ROUND_TRIPS, DEFAULT_SWITCH_INTERVAL, MODES, type Mode } from '../../gil/settings.js';
import { loadGilLab } from '../engines.js';
import type { ThreadStats } from '../../gil/thread-state.js';
import { textTable } from '../../text/table.js';
import { renderTimeline, TIMELINE_LEGEND } from '../../gil/timeline.js';
import { checkHtmlOptions, emitHtmlReport, withHtmlOptions, type HtmlOptions } from '../html-report.js';
import { CPU_ITERATIONS_PER_UNIT, DEFAULT_UNITS, DESCRIPTIONS, WORKLOADS, workloadCall, type Workload } from '../../gil/workloads.js';

interface GilCommandOptions extends HtmlOptions {
  workload: Workload;
  workers: number;
  work?: number;
  switchInterval: number;
  modes: Mode[];
  roundTrips: number;
  timeline: boolean;
  compareCpython: boolean;
}

export interface GilReport {
  cores: number;
  /** The machine's 1-minute load average when the run began: other work skews every figure. */
  loadAverage: number;
  /** What the machine gave the run; `trustworthy` is false when other work skewed the figures. */
  machine: MachineLoad & { trustworthy: boolean };
  lab: LabResult;
  convoy: ConvoyResult | null;
  reading: string[];
  cpython: CpythonResult | null;
}

/** Timeline columns, each half a switch interval wide. */
const TIMELINE_COLUMNS = 72;
/** The bytecode's values are 32-bit: a loop count must stay below 2**31. */
const MAX_LOOP_COUNT = 2 ** 31 - 1;

export function registerGil(program: Command): void {
  withHtmlOptions(program
    .command('gil')
    .description('measure the GIL: one workload run serially, as threads under one GIL, as processes and free-threaded')
    .addOption(new Option('--workload <kind>', 'cpu, io or mixed').argParser(oneOf(WORKLOADS)).default('cpu'))
    .addOption(
      new Option('--workers <n>', `threads or processes in the parallel modes, 1-${LIMITS.workers.max}`)
        .argParser(workerCount)
        .default(Math.min(availableParallelism(), LIMITS.workers.max), `the number of cores, ${Math.min(availableParallelism(), LIMITS.workers.max)}`),
    )
    .addOption(new Option('--work <units>', `units of work per worker, at most ${LIMITS.count.max} and 2**31-1 loop steps in all (default: cpu 16000, io 500, mixed 300)`).argParser(integerAtLeast(1)))
    .addOption(new Option('--switch-interval <seconds>', `sys.setswitchinterval, at most ${LIMITS.seconds.max}`).argParser(positiveNumber).default(DEFAULT_SWITCH_INTERVAL))
    .addOption(new Option('--modes <list>', 'modes to run, comma-separated').argParser(listOf(MODES)).default([...MODES], MODES.join(',')))
    .addOption(new Option('--round-trips <n>', `round trips for the convoy measurement, at most ${LIMITS.roundTrips.max} (0 skips it)`).argParser(integerAtLeast(0, LIMITS.roundTrips)).default(DEFAULT_ROUND_TRIPS))
    .option('--timeline', 'draw which thread held the GIL over time', false)
    .option('--compare-cpython', "run the same workloads in python3 and set CPython's speed-ups beside the model's", false))
    .action(async (options: GilCommandOptions, command: Command) => {
      const context = CliContext.of(command);
      checkHtmlOptions(options);
      const units = options.work ?? DEFAULT_UNITS[options.workload];
      checkLoopCounts(options.workload, units, options.workers);
      const cores = availableParallelism();
      const trace = options.timeline;
      const { LoadSampler, runLab, runConvoy, runCpython, readShortfall, readLab, readConvoy } = await loadGilLab();
      const sampler = new LoadSampler();
      const lab = await runLab({ ...options, units, trace });
      const convoy = options.roundTrips > 0 ? await runConvoy({ ...options, trace }) : null;
      const load = sampler.stop(options.workers, cores);
      const cpython = options.compareCpython ? await runCpython({ ...options, units }) : null;
      const warnings = [...load.warnings, ...readShortfall(lab, cores)];
      const machine = { ...load, warnings, trustworthy: warnings.length === 0 };
      const caveat = machine.trustworthy ? '' : 'On this busy machine (see the warning above), ';
      const reading = [caveat + readLab(lab, cores), ...(convoy === null ? [] : [readConvoy(convoy)])];
      const report: GilReport = { cores, loadAverage: load.atStart.loadAverage, machine, lab, convoy, reading, cpython };
      context.emit(context.json ? withoutTraces(report) : report, (data) => renderReport(data, options.timeline));
      await emitHtmlReport(options, (r, file) => r.writeReport(file, 'gil', r.gilReportData(report, options.timeline)));
    });
}

function checkLoopCounts(workload: Workload, units: number, workers: number): void {
  const serial = workloadCall(workload, units * workers);
  if (serial.args.some((count) => count > MAX_LOOP_COUNT)) {
    const limit = Math.floor(MAX_LOOP_COUNT / (workers * (workload === 'cpu' ? CPU_ITERATIONS_PER_UNIT : 1)));
    throw new UsageError(`--work ${units} is too much for ${workers} workers: at most ${limit} units of ${workload} work each.`);
  }
}

/** The report with the traces left out (they are for the timeline): what --json prints. */
export function withoutTraces(report: GilReport): GilReport {
  const bare = (stats: ThreadStats[]) => stats.map(({ trace: _trace, ...rest }) => ({ ...rest, trace: [] }));
  return {
    ...report,
    lab: { ...report.lab, modes: report.lab.modes.map((mode) => ({ ...mode, stats: bare(mode.stats) })) },
    convoy: report.convoy === null ? null : { ...report.convoy, runs: report.convoy.runs.map((run) => ({ ...run, stats: bare(run.stats) })) },
  };
}

export function renderReport(report: GilReport, timeline: boolean): string {
  const { lab, convoy, cpython } = report;
  const call = workloadCall(lab.workload, lab.units);
  const sections = [
    ...(report.machine.trustworthy ? [] : [wrapText(untrustworthy(report.machine))]),
    wrapText(`${DESCRIPTIONS[lab.workload]} workload: ${call.program}(${call.args.join(', ')}) per worker, ${lab.workers} workers, ` +
      `switch interval ${lab.switchInterval * 1000} ms, ${report.cores} cores, load average ${report.loadAverage.toFixed(2)} at the start` +
      othersRunnable(report.machine)),
    renderModes(lab.modes),
    ...(convoy === null ? [] : [renderConvoy(convoy)]),
    wrapText(report.reading.join('\n')),
    ...(timeline ? [renderTimelines(report)] : []),
    ...(cpython === null ? [] : [renderCpython(report, cpython)]),
    wrapText(
      'CPU ms: each worker thread\'s time on a CPU as Linux counts it (/proc/thread-self/schedstat); ' +
        'CPUs used: the CPU time of all the mode\'s workers over its wall time, the cores it actually got; ' +
        'running, GIL wait and I/O are measured around take_gil and each blocking call.',
    ),
  ];
  return sections.join('\n\n');
}

function othersRunnable(machine: MachineLoad): string {
  if (machine.othersRunnableMean === null) return '';
  return `, other programs' runnable threads ${machine.othersRunnableMean.toFixed(1)} on average (at most ${machine.othersRunnableMax}) over ${machine.samples} readings`;
}

/** The warning printed before everything else when the machine was too busy to trust the figures. */
function untrustworthy(machine: GilReport['machine']): string {
  return (
    `WARNING: these figures cannot be trusted: this machine was busy. ${capitalize(machine.warnings.join('; '))}. ` +
    'A mode that cannot get the cores it needs gains less than it would on a quiet machine, so a speed-up below ' +
    'can say "gained nothing" where CPython would gain. The "CPUs used" column shows the cores each mode actually got. ' +
    'Run it again when the machine is quiet.'
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function renderModes(modes: ModeResult[]): string {
  const header = ['mode', 'workers', 'wall ms', 'speed-up', 'CPUs used', 'CPU ms per worker', 'running ms', 'GIL wait ms', 'I/O ms', 'switches', 'drop requests'];
  const rows = modes.map((mode) => [
    mode.mode,
    String(mode.threads),
    mode.wallMs.toFixed(0),
    mode.speedup === null ? '-' : `${mode.speedup.toFixed(2)}x`,
    mode.cpuParallelism === null ? 'n/a' : mode.cpuParallelism.toFixed(2),
    perWorker(mode.perThread.map((thread) => thread.cpuMs)),
    perWorker(mode.perThread.map((thread) => thread.runningMs)),
    mode.gilWaitMs.toFixed(0),
    mode.perThread.reduce((sum, thread) => sum + thread.syscallMs, 0).toFixed(0),
    String(mode.gil.switches),
    String(mode.gil.dropRequests),
  ]);
  return textTable(header, rows);
}

function perWorker(values: (number | null)[]): string {
  return values.map((value) => (value === null ? 'n/a' : value.toFixed(0))).join(' / ');
}

function renderConvoy(convoy: ConvoyResult): string {
  const header = ['convoy', 'I/O thread ms', 'per round trip', 'multiple', 'GIL wait ms', 'switches'];
  const rows = convoy.runs.map((run) => [
    CONVOY_LABELS[run.setting],
    run.ioMs.toFixed(1),
    `${run.perRoundTripUs.toFixed(0)} us`,
    `${run.multiple.toFixed(1)}x`,
    run.gilWaitMs.toFixed(1),
    String(run.gil.switches),
  ]);
  return `Convoy effect: ${convoy.roundTrips} one-byte round trips to an echo peer outside the GIL\n${textTable(header, rows)}`;
}

function renderTimelines(report: GilReport): string {
  const columnMs = (report.lab.switchInterval * 1000) / 2;
  const options = (labels: string[]) => ({ columns: TIMELINE_COLUMNS, columnMs, labels });
  const charts = report.lab.modes.map((mode) => {
    const labels = mode.stats.map((_, index) => `${mode.mode} ${index}`);
    return renderTimeline(mode.stats, options(labels)).join('\n');
  });
  const convoy = report.convoy?.runs.find((run) => run.setting === 'beside-cpu-gil');
  if (convoy !== undefined) charts.push(renderTimeline(convoy.stats, options(['convoy: I/O', 'convoy: CPU'])).join('\n'));
  return `Timeline, first ${TIMELINE_COLUMNS * columnMs} ms of each run (${columnMs} ms a column):\n${TIMELINE_LEGEND}\n\n${charts.join('\n\n')}`;
}

function renderCpython(report: GilReport, cpython: CpythonResult): string {
  if (!cpython.available) return `CPython comparison: not run: ${cpython.reason}.`;
  const header = ['mode', 'model speed-up', 'CPython speed-up', 'model / CPython'];
  const rows = report.lab.modes
    .filter((mode) => mode.mode !== 'serial')
    .map((mode) => {
      const theirs = cpython.modes.find((candidate) => candidate.mode === mode.mode)?.speedup ?? null;
      const ratio = mode.speedup === null || theirs === null ? null : mode.speedup / theirs;
      return [
        mode.mode,
        mode.speedup === null ? '-' : `${mode.speedup.toFixed(2)}x`,
        theirs === null ? (cpython.skipped.includes(mode.mode) ? 'n/a (this CPython has a GIL)' : '-') : `${theirs.toFixed(2)}x`,
        ratio === null ? '-' : `${ratio.toFixed(2)} (${Math.abs(ratio - 1) <= 0.25 ? 'within' : 'outside'} 25%)`,
      ];
    });
  const lines = [`CPython ${cpython.python} (${cpython.gil ? 'with the GIL' : 'free-threaded'}), the same workload, measured in this run:`, textTable(header, rows)];
  if (cpython.convoy !== null && report.convoy !== null) {
    const multiple = cpython.convoy.besideCpuMs / cpython.convoy.aloneMs;
    const model = report.convoy.runs[1].multiple;
    lines.push(
      `CPython convoy: ${cpython.convoy.roundTrips} round trips ${cpython.convoy.aloneMs.toFixed(1)} ms alone, ` +
        `${cpython.convoy.besideCpuMs.toFixed(1)} ms beside a CPU thread (${multiple.toFixed(1)}x; the model: ${model.toFixed(1)}x).`,
    );
  }
  return lines.join('\n');
}
