/*
 * A plain-language reading of a lab run's measured figures: what each mode
 * gained over serial and why, and what the convoy did to the I/O thread.
 * Words only describe numbers measured in the run; nothing here predicts one.
 * readShortfall says where a mode got fewer CPUs than its threads could use: the
 * after-the-fact sign of a busy machine (machine-load.ts is the other).
 */
import type { ConvoyResult } from './convoy.js';
import type { LabResult, ModeResult } from './lab.js';
import { DESCRIPTIONS } from './workloads.js';
import { counted } from '../text/counted.js';

/** Below this speed-up a mode "gained nothing". */
const NOTHING = 1.1;
/** Below this one it "gained a little". */
const LITTLE = 1.5;

/** A CPU-bound mode that got less than this share of the cores it could use was short of CPU. */
const FAIR_SHARE = 0.8;
/** Modes whose threads never wait for one another: each can keep a core busy. */
const UNSHARED: readonly ModeResult['mode'][] = ['serial', 'processes', 'free-threaded'];

const WHY: Readonly<Record<ModeResult['mode'], string>> = {
  serial: '',
  threads: 'one GIL, one thread running bytecode at a time',
  processes: 'a GIL each, nothing shared',
  'free-threaded': 'no GIL',
};

export function readLab(lab: LabResult, cores: number): string {
  const parallel = lab.modes.filter((mode) => mode.mode !== 'serial' && mode.speedup !== null);
  if (parallel.length === 0) {
    const serialOnly = lab.modes.every((mode) => mode.mode === 'serial');
    return `${DESCRIPTIONS[lab.workload]}: ${serialOnly ? 'only the serial run, so nothing to compare it with' : 'no serial run to compare with'}.`;
  }
  const parts = parallel.map((mode) => `${mode.mode} ${gain(mode.speedup as number)} (${WHY[mode.mode]})`);
  return `${DESCRIPTIONS[lab.workload]}, ${lab.workers} workers on ${cores} cores: ${parts.join(', ')}.`;
}

function gain(speedup: number): string {
  const figure = `${speedup.toFixed(2)}x`;
  if (speedup < NOTHING) return `gained nothing, ${figure}`;
  if (speedup < LITTLE) return `gained a little, ${figure}`;
  return figure;
}

export function readConvoy(convoy: ConvoyResult): string {
  const [alone, withGil, withoutGil] = convoy.runs;
  return (
    `Convoy: ${convoy.roundTrips} one-byte round trips took ${ms(alone.ioMs)} alone, ` +
    `${ms(withGil.ioMs)} beside one CPU-bound thread under the same GIL (${withGil.multiple.toFixed(1)}x: ` +
    `each time the I/O thread takes the GIL back it may wait out the ${ms(convoy.switchInterval * 1000)} switch interval), ` +
    `and ${ms(withoutGil.ioMs)} beside it with no GIL (${withoutGil.multiple.toFixed(1)}x).`
  );
}

function ms(value: number): string {
  return `${Number(value.toPrecision(3))} ms`;
}

/** The CPU-bound modes that got clearly fewer cores than their threads could use, in plain words. */
export function readShortfall(lab: LabResult, cores: number): string[] {
  if (lab.workload !== 'cpu') return [];
  return lab.modes
    .filter((mode) => UNSHARED.includes(mode.mode) && mode.cpuParallelism !== null)
    .filter((mode) => (mode.cpuParallelism as number) < FAIR_SHARE * Math.min(mode.threads, cores))
    .map(
      (mode) =>
        `${mode.mode} ran ${counted(mode.threads, 'CPU-bound thread')} but got ` +
        `${(mode.cpuParallelism as number).toFixed(2)} CPUs (their CPU time over the wall time)`,
    );
}
