/*
 * Schedule ids: a printable name for one schedule that `memplay explore --replay`
 * runs again exactly. A schedule is the worker chosen at every step; with the
 * scenario, the variant, the worker and iteration counts and the seed, it fixes
 * the whole run (the workers' code is deterministic once the interleaving is).
 *
 *   v1:<scenario>:<variant>:w<workers>i<iterations>s<seed>:<choices>
 *   e.g. v1:lost-update:racy:w2i1s0:0.1x2.0x3.1x2
 *
 * Choices are run-length encoded: `1x2` is worker 1 twice, `0` worker 0 once,
 * runs joined by dots; `-` is a schedule of no steps. Anything else is a ScheduleIdError (a usage error).
 */
export interface ScheduleId {
  readonly scenario: string;
  readonly variant: string;
  readonly workers: number;
  readonly iterations: number;
  readonly seed: number;
  readonly choices: readonly number[];
}

export class ScheduleIdError extends Error {}

const VERSION = 'v1';
const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const SHAPE = /^w(\d{1,4})i(\d{1,9})s(\d{1,10})$/;
const RUN = /^(\d{1,4})(?:x(\d{1,7}))?$/;
const MAX_CHOICES = 10_000_000;
/** The choices of a schedule with no step at all. */
const NO_CHOICES = '-';

export function formatScheduleId(id: ScheduleId): string {
  return [VERSION, id.scenario, id.variant, `w${id.workers}i${id.iterations}s${id.seed}`, encodeChoices(id.choices)].join(':');
}

export function parseScheduleId(text: string): ScheduleId {
  const fail = (why: string): never => {
    throw new ScheduleIdError(`bad schedule id ${JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text)}: ${why}`);
  };
  const parts = text.trim().split(':');
  if (parts.length !== 5) fail(`expected ${VERSION}:<scenario>:<variant>:w<N>i<N>s<N>:<choices>`);
  const [version, scenario, variant, shape, choices] = parts;
  if (version !== VERSION) fail(`unknown version ${JSON.stringify(version)} (this memplay writes ${VERSION})`);
  if (!NAME.test(scenario) || !NAME.test(variant)) fail('the scenario and variant are lowercase words joined by dashes');
  const sizes = SHAPE.exec(shape) ?? fail('the sizes part is w<workers>i<iterations>s<seed>');
  const [workers, iterations, seed] = sizes.slice(1).map(Number);
  if (workers < 1 || iterations < 1 || seed > 0xffff_ffff) fail('sizes out of range');
  return { scenario, variant, workers, iterations, seed, choices: decodeChoices(choices, workers, fail) };
}

function encodeChoices(choices: readonly number[]): string {
  if (choices.length === 0) return NO_CHOICES;
  const runs: string[] = [];
  for (let i = 0; i < choices.length; ) {
    let j = i;
    while (j < choices.length && choices[j] === choices[i]) j++;
    runs.push(j - i === 1 ? `${choices[i]}` : `${choices[i]}x${j - i}`);
    i = j;
  }
  return runs.join('.');
}

function decodeChoices(text: string, workers: number, fail: (why: string) => never): number[] {
  if (text === NO_CHOICES) return [];
  if (text === '') fail('no choices');
  const choices: number[] = [];
  for (const run of text.split('.')) {
    const match = RUN.exec(run) ?? fail(`${JSON.stringify(run)} is not a worker number with an optional xCOUNT`);
    const worker = Number(match[1]);
    const count = match[2] === undefined ? 1 : Number(match[2]);
    if (worker >= workers) fail(`worker ${worker} in a run of ${workers} workers`);
    if (count < 1 || choices.length + count > MAX_CHOICES) fail('a run length out of range');
    for (let k = 0; k < count; k++) choices.push(worker);
  }
  return choices;
}
