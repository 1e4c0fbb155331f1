/*
 * The human report of `memplay explore`: per variant, how it was explored, the
 * outcome table (jcstress classifications), each witness as a step table (one
 * column per worker, in Python terms, and the shared state after each step) with
 * its replay id, a hang's wait-for report, and the verdict: "verified at K=..."
 * only for a complete exhaustive search, with what that does and does not prove.
 */
import { textTable } from '../text/table.js';
import type { Exploration, Witness } from './explore.js';
import { counted } from '../text/counted.js';
import { STRESS_VARIANT } from './target-stress.js';

/** How a witness's replay line runs it again: `memplay <command> <argument><flags> --replay ID [-- args...]` (args: a Python script's). */
export interface ReplayCommand {
  readonly command: string;
  readonly flags: string;
  readonly args?: readonly string[];
}

const EXPLORE_COMMAND: ReplayCommand = { command: 'explore', flags: '' };

/** `argument`: what the user named the scenario by (a file's path), for the replay line; `replay`: the command that replays (stress --explore). */
export function formatExploration(exploration: Exploration, argument = exploration.scenario, replay = EXPLORE_COMMAND): string {
  const lines = [header(exploration), figures(exploration), '', ...outcomeTable(exploration)];
  for (const summary of exploration.outcomes) {
    if (summary.witness === undefined) continue;
    const title = exploration.strategy === 'replay' ? 'the schedule' : `witness for ${summary.outcome} (${summary.classification})`;
    lines.push('', `${title}: ${summary.observed}`, ...witnessLines(exploration, summary.witness, argument, replay));
  }
  lines.push('', verdict(exploration));
  return lines.join('\n');
}

function header(e: Exploration): string {
  const how =
    e.strategy === 'dfs' ? `dfs, at most ${counted(e.preemptions, 'preemption')}, sleep sets` :
    e.strategy === 'pct' ? `pct, depth ${e.depth}${e.pct === undefined ? '' : `, each schedule finding a bug of that depth with probability >= ${pctBound(e)}`}` :
    e.strategy === 'random' ? `random, seed ${e.seed}` : 'replay of one schedule';
  return `${e.scenario} / ${e.variant}: ${how} (${sizes(e)}, seed ${e.seed})`;
}

/** What was explored: workers x iterations (a stress target's: x ops), or a script's most processes. */
export function sizes(e: Pick<Exploration, 'workers' | 'iterations' | 'script' | 'variant'>): string {
  if (e.script === true) return `at most ${e.workers} process${e.workers === 1 ? '' : 'es'}, the main one included`;
  return `${counted(e.workers, 'worker')} x ${counted(e.iterations, e.variant === STRESS_VARIANT ? 'op' : 'iteration')}`;
}

function figures(e: Exploration): string {
  const abandoned = e.abandoned === 0 ? '' : ` (+${e.abandoned} cut short: equivalent to one already run, or past the bound)`;
  const rate = e.seconds > 0 ? `, ${Math.round(e.steps / e.seconds)} steps/s` : '';
  return `${counted(e.schedules, 'schedule')}${abandoned}, ${counted(e.steps, 'step')}, ${e.seconds.toFixed(2)} s with worker start${rate}`;
}

function outcomeTable(e: Exploration): string[] {
  const rows = e.outcomes.map((o) => [o.outcome, String(o.count), o.classification, o.description]);
  return textTable(['outcome', 'schedules', 'classification', 'description'], rows, { left: [0, 2, 3] }).split('\n');
}

/** A longer witness shows its first and last SHOWN_ROWS / 2 steps (--json has them all). */
const SHOWN_ROWS = 60;

function witnessLines(e: Exploration, witness: Witness, argument: string, replay: ReplayCommand): string[] {
  const workers = Array.from({ length: e.workers }, (_, w) => w);
  const shown = witness.rows.length <= SHOWN_ROWS ? witness.rows : [...witness.rows.slice(0, SHOWN_ROWS / 2), null, ...witness.rows.slice(-SHOWN_ROWS / 2)];
  const rows = shown.map((row) => (row === null ? ['...', ...workers.map(() => ''), ''] : [String(row.step), ...workers.map((w) => (w === row.worker ? row.operation : '')), row.state]));
  const left = [1, ...workers.map((w) => w + 1), e.workers + 1];
  const headers = ['step', ...workers.map((w) => `worker ${w}`), 'shared state after'];
  // A worker that never moved (a process the script did not start) and a state nobody named get no column.
  const shownColumns = headers.map((_, column) => column === 0 || rows.some((row) => row[column] !== ''));
  const pick = <T,>(items: readonly T[]) => items.filter((_, column) => shownColumns[column]);
  const table = textTable(pick(headers), rows.map(pick), { left: pick(headers.map((_, column) => column)).flatMap((column, at) => (left.includes(column) ? [at] : [])) }).split('\n');
  const shape = `${counted(witness.steps, 'step')}, ${counted(witness.preemptions, 'preemption')}`;
  const hang = witness.hang === undefined ? [] : ['hung:', ...witness.hang.waits.map((line) => `  ${line}`), ...(witness.hang.cycleText === null ? [] : [`  wait-for cycle: ${witness.hang.cycleText}`])];
  return [`(${shape})`, ...table, ...hang, `replay: ${replayCommand(witness, argument, replay)}`];
}

/** The command line that replays `witness` (the argument quoted when it is not a plain path). */
export function replayCommand(witness: Witness, argument: string, replay = EXPLORE_COMMAND): string {
  const args = replay.args === undefined || replay.args.length === 0 ? '' : ` -- ${replay.args.map(shellWord).join(' ')}`;
  return `memplay ${replay.command} ${shellWord(argument)}${replay.flags} --replay ${witness.id}${args}`;
}

/** A word as a POSIX shell takes it back unchanged: plain, or in single quotes (inside which nothing is expanded; a ' is written '\''). */
export function shellWord(word: string): string {
  return /^[\w./:=@%+,-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** The report's last line: verified, FORBIDDEN, the race shown, or why nothing was proved. */
/** How far a search that showed its race went: every schedule in the bound, or until --time or --schedules stopped it. */
function searched(e: Exploration): string {
  if (e.complete && e.strategy === 'dfs') return ` in any of the ${e.schedules} schedules with at most ${counted(e.preemptions, 'preemption')}`;
  if (e.cutShort !== null) return ` in the ${counted(e.schedules, 'schedule')} run before --${e.cutShort} ended the search`;
  return '';
}

/** pct's per-schedule probability bound, with what it is made of. */
function pctBound(e: Exploration): string {
  return `1/(n k^(d-1)) = ${e.pct!.probability.toExponential(2)} (n=${e.workers}, k=${e.pct!.steps}, d=${e.depth})`;
}

export function verdict(e: Exploration): string {
  if (e.strategy === 'replay') return 'replayed exactly as the id says';
  if (e.forbidden) return 'FORBIDDEN outcome found: see its witness above';
  if (e.verified) {
    return (
      `verified at K=${e.preemptions}: ${e.schedules === 1 ? 'the one schedule' : `all ${e.schedules} schedules`} with at most ${counted(e.preemptions, 'preemption')} ${e.schedules === 1 ? 'gives' : 'give'} ACCEPTABLE outcomes ` +
      `(${sizes(e)}). This proves the variant right for these sizes and every interleaving ` +
      `with that few preemptions (most concurrency bugs need one or two); it does not cover more preemptions, more workers or iterations, ` +
      `or memory orderings weaker than the sequentially consistent one the workers run on.`
    );
  }
  const shown = e.outcomes.filter((o) => o.classification === 'INTERESTING').map((o) => o.outcome);
  if (shown.length > 0) return `the race this variant exists to show happens (${shown.join(', ')}), with no FORBIDDEN outcome${searched(e)}`;
  // A sampled search (pct, random) never verifies: its end is no cut.
  if (e.cutShort !== null && e.strategy === 'dfs') return `not verified: the search was cut short by --${e.cutShort === 'time' ? 'time' : 'schedules'} before it covered every schedule`;
  if (e.pct !== undefined) {
    return `no FORBIDDEN outcome in ${e.schedules} schedules; pct finds a bug of depth <= ${e.depth} with probability >= ${pctBound(e)} per schedule; not a proof`;
  }
  return `no FORBIDDEN outcome in ${e.schedules} schedules; a sampled search proves nothing (dfs can verify)`;
}
