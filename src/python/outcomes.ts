/*
 * The outcome of one run of a Python script, what `--repeat` tabulates (for
 * memplay's runs and python3's alike): `(timeout)` for a run the watchdog ended,
 * `(exit N)` for a run that exited with N != 0, else what the main process
 * printed: its last line, or with --outcome REGEX the first match of REGEX in
 * all of its stdout (its first capture group when it has one), `(no match)` when
 * there is none. The regex is compiled with the `m` flag: `^` and `$` match at
 * each line's start and end.
 */

/** How a run ended, as the outcome needs it. */
export interface RunEnd {
  readonly exitCode: number;
  readonly timedOut: boolean;
  /** What the main process wrote to stdout: all of it, or (without a rule) at least its last line. */
  readonly stdout: string;
}

/** The rule: null for the last line, else --outcome's regex. */
export type OutcomeRule = RegExp | null;

export interface Outcome {
  readonly outcome: string;
  readonly count: number;
}

export const NO_MATCH = '(no match)';

/** --outcome's regex from the text the user gave; throws a SyntaxError for a bad one. */
export function outcomeRegex(source: string): RegExp {
  return new RegExp(source, 'm');
}

export function outcomeOf(end: RunEnd, rule: OutcomeRule): string {
  if (end.timedOut) return '(timeout)';
  if (end.exitCode !== 0) return `(exit ${end.exitCode})`;
  return rule === null ? lastLineOf(end.stdout) : firstMatch(end.stdout, rule);
}

/** The first match of `rule` in `text`: its first capture group when it has one ('' when that group took no part), else the whole match. */
function firstMatch(text: string, rule: RegExp): string {
  const match = rule.exec(text);
  if (match === null) return NO_MATCH;
  return match.length > 1 ? match[1] ?? '' : match[0];
}

/** The last line of `text` (a final newline ends it; '' for no text). */
export function lastLineOf(text: string): string {
  const lines = text.split('\n');
  return (lines.at(-1) === '' ? lines.at(-2) : lines.at(-1)) ?? '';
}

/** What the outcome is, in words, for a table's heading. */
export function describeRule(rule: OutcomeRule): string {
  return rule === null ? 'the last line the main process printed' : `the first match of /${rule.source}/ in the main process's stdout`;
}

/** The distinct outcomes, most frequent first. */
export function tally(outcomes: readonly string[]): Outcome[] {
  const counts = new Map<string, number>();
  for (const outcome of outcomes) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  return [...counts].map(([outcome, count]) => ({ outcome, count })).sort((a, b) => b.count - a.count);
}
