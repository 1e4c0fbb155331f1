/*
 * A failure in a user's file (a scenario or a stress target, or a built-in one:
 * they are files too), as opposed to a mistake in the command line (UsageError,
 * exit 2) or a fault of memplay itself (an internal error). Python's counterpart
 * is the traceback the interpreter prints for an uncaught exception: the
 * exception's type and message, and the frames in the user's code, not the
 * interpreter's own.
 *
 * What it carries: the file, what was running ("setup", "the judge", "loading
 * the file"), the error's name and message, where in the file (file:line:col,
 * source-mapped for TypeScript), and the detail under it: the frames of the
 * error's stack that lie in the file, or, for a file that does not compile, the
 * offending source line with a caret. The CLI prints it as one block on stderr
 * ("<file>:<line>:<col>: <Name> in <what>: <message>", then the detail) and exits 1.
 *
 * Algorithm for the frames: keep the stack lines that name the file, or another
 * file of the user's (a helper it imports: not memplay's code, not a package's,
 * not Node's), URLs shown as paths; for a compile error, read esbuild's
 * "file:line:col: ERROR: text" line from the message (a JavaScript file's
 * SyntaxError names no place: `node --check` finds it); for an import that names
 * no module, the first line of Node's message (not the loader's require stack)
 * and the file's line that imports it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { extname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorShape } from './harness/protocol.js';
import { packageRoot } from './package-info.js';

export class UserCodeError extends Error {
  override readonly name = 'UserCodeError';

  constructor(
    /** The user's file (a path). */
    readonly file: string,
    /** What was running: "loading the file", "setup", "the judge of variant racy", ... */
    readonly what: string,
    /** The error's own name and message ("TypeError", "boom"). */
    readonly errorName: string,
    readonly errorMessage: string,
    /** Where in the file: "/x.ts:6:10", or the file alone when no frame lies in it. */
    readonly where: string,
    /** Lines under the headline: the stack frames in the file, or the source line that does not compile. */
    readonly detail: readonly string[],
  ) {
    super(`${where}: ${errorName} in ${what}: ${errorMessage}`);
  }

  /** The error `thrown` while `what` ran code of `file`. */
  static from(file: string, what: string, thrown: unknown): UserCodeError {
    if (thrown instanceof UserCodeError) return thrown;
    const compile = compileFailure(thrown);
    if (compile !== undefined) return new UserCodeError(file, 'compiling the file', 'SyntaxError', compile.text, compile.where, compile.excerpt);
    const syntax = javaScriptSyntaxError(thrown, file);
    if (syntax !== undefined) return new UserCodeError(file, 'compiling the file', 'SyntaxError', syntax.text, syntax.where, syntax.excerpt);
    const missing = missingModule(thrown, file);
    if (missing !== undefined) return new UserCodeError(file, what, errorShape(thrown).name, missing.text, missing.where, missing.excerpt);
    const { name, message } = nameAndMessage(thrown);
    const frames = userFrames(thrown, file);
    return new UserCodeError(file, what, name, message, frameLocation(frames[0]) ?? file, frames);
  }

  /** The block the CLI prints: the headline, then the detail lines indented. */
  describe(): string {
    return [this.message, ...this.detail.map((line) => `    ${line}`)].join('\n');
  }
}

/** An error's name and message, whatever was thrown. */
export function nameAndMessage(thrown: unknown): { name: string; message: string } {
  const { name, message } = errorShape(thrown);
  return { name, message };
}

/**
 * The frames of `thrown`'s stack (or of a stack text) in the user's code, as "at
 * fn (/path:line:col)", file URLs shown as paths: those in `file`, and those in
 * a module of the user's it imports (a helper beside it), which come first when
 * the error was raised there; never memplay's own, a package's or Node's.
 */
export function userFrames(thrown: unknown, file: string): string[] {
  const stack = typeof thrown === 'string' ? thrown : thrown instanceof Error ? (thrown.stack ?? '') : '';
  return stack
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('at '))
    .map(withPaths)
    .filter((line) => line.includes(`${file}:`) || isUsersOwn(line));
}

/** A frame with its file URLs written as paths. */
function withPaths(frame: string): string {
  return frame.replace(/file:\/\/[^\s()]+?(?=:\d+:\d+)/g, (url) => fileURLToPath(url));
}

/** memplay's own code: its folders under the package root (looked up on an error's path only, never at import). */
const memplayCode = (): string[] => ['src', 'dist', 'workers', 'bin'].map((folder) => join(packageRoot(), folder) + sep);

/** Whether a frame lies in a file of the user's: a real path, outside memplay's code and outside every package. */
function isUsersOwn(frame: string): boolean {
  const path = frame.match(/(?:\(|^at )(\/[^()]+):\d+:\d+\)?$/)?.[1];
  return path !== undefined && !path.includes(`${sep}node_modules${sep}`) && !memplayCode().some((folder) => path.startsWith(folder));
}

/** The first place in `file` that `thrown` points at, as " (at /path:line:col)", or '' when none. */
export function locationSuffix(thrown: unknown, file: string): string {
  const where = frameLocation(userFrames(thrown, file)[0]);
  return where === undefined ? '' : ` (at ${where})`;
}

/** "/path:line:col" of a stack frame ("at fn (/path:line:col)" or "at /path:line:col"), file URLs as paths. */
export function frameLocation(frame: string | undefined): string | undefined {
  const where = frame?.trim().match(/\(([^()]+:\d+:\d+)\)$/)?.[1] ?? frame?.trim().match(/^at (\S+:\d+:\d+)$/)?.[1];
  const url = where?.match(/^(file:\/\/.+?):\d+:\d+$/)?.[1];
  return url === undefined ? where : where!.replace(url, fileURLToPath(url));
}

/** Where the caller of the function `above` stands, "/path:line:col" (e.g. the defineScenario call in a user's file). */
export function callerLocation(above: (...args: never[]) => unknown): string | undefined {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, above);
  return frameLocation((holder.stack ?? '').split('\n').find((line) => line.trim().startsWith('at ')));
}

/**
 * A TypeScript file that does not compile: esbuild (through tsx) throws
 * "Transform failed with 1 error:\n<file>:<line>:<col>: ERROR: <text>". Returns
 * "line:col: text" and the offending source line with a caret under the column.
 */
function compileFailure(thrown: unknown): { text: string; where: string; excerpt: string[] } | undefined {
  if (!(thrown instanceof Error)) return undefined;
  const match = thrown.message.match(/^(.+):(\d+):(\d+): ERROR: (.+)$/m);
  if (match === null) return undefined;
  const [, path, line, column, text] = match;
  // esbuild counts columns from 0; editors and Node's stack frames from 1.
  return { text, where: `${path}:${line}:${Number(column) + 1}`, excerpt: sourceExcerpt(path, Number(line), Number(column)) };
}

/**
 * A JavaScript file that does not parse: Node's loader throws a SyntaxError
 * whose stack names no place in the file, so `node --check` reads it once more
 * (only on this error path), whose report starts "<file>:<line>", the line, and
 * a caret under the column.
 */
function javaScriptSyntaxError(thrown: unknown, file: string): { text: string; where: string; excerpt: string[] } | undefined {
  if (!(thrown instanceof SyntaxError) || !['.js', '.mjs', '.cjs'].includes(extname(file))) return undefined;
  const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', timeout: 10_000 });
  const match = (check.stderr ?? '').match(/^(?:file:\/\/)?[^\n]*:(\d+)\n[^\n]*\n( *)\^/);
  if (match === null) return undefined;
  const [line, column] = [Number(match[1]), match[2].length];
  return { text: thrown.message, where: `${file}:${line}:${column + 1}`, excerpt: sourceExcerpt(file, line, column) };
}

/**
 * An import of `file` that names no module: Node's message (CommonJS's
 * "Cannot find module './x.js'" followed by its require stack, or ESM's "Cannot
 * find module '/abs/x.js' imported from ...") cut to its first line, and the
 * line of `file` whose string names the module, with a caret under it.
 */
function missingModule(thrown: unknown, file: string): { text: string; where: string; excerpt: string[] } | undefined {
  const code = (thrown as { code?: unknown } | null)?.code;
  if (!(thrown instanceof Error) || (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND')) return undefined;
  const text = thrown.message.split('\n')[0];
  const named = text.match(/^Cannot find (?:module|package) '([^']+)'/)?.[1];
  const at = named === undefined ? undefined : importLine(file, named);
  if (at === undefined) return { text, where: file, excerpt: [] };
  return { text, where: `${file}:${at.line}:${at.column + 1}`, excerpt: sourceExcerpt(file, at.line, at.column) };
}

/** The first line of `file` quoting `named` (or, for a resolved path, its last parts), as 1-based line and 0-based column. */
function importLine(file: string, named: string): { line: number; column: number } | undefined {
  let lines: string[];
  try {
    lines = readFileSync(file, 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const parts = named.split('/');
  for (let keep = 1; keep <= parts.length; keep++) {
    const tail = parts.slice(-keep).join('/');
    for (let index = 0; index < lines.length; index++) {
      const column = lines[index].search(new RegExp(`['"\`](\\./|\\.\\./)*${escapeRegExp(tail)}['"\`]`));
      if (column >= 0) return { line: index + 1, column: column + 1 };
    }
  }
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The source line `line` (1-based) of `path` and a caret under `column` (0-based); none when unreadable. */
function sourceExcerpt(path: string, line: number, column: number): string[] {
  let text: string | undefined;
  try {
    text = readFileSync(path, 'utf8').split('\n')[line - 1];
  } catch {
    return [];
  }
  if (text === undefined) return [];
  const gutter = `${line} | `;
  return [`${gutter}${text}`, `${' '.repeat(gutter.length - 2)}| ${' '.repeat(column)}^`];
}
