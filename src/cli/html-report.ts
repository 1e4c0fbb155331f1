/*
 * The --html FILE and --open options every command with a report shares: the
 * file is checked before anything runs (its folder must exist, it must not be a
 * folder, and it must open for writing: the check opens it, and removes it again
 * if it made it), written after the run from the data the engine returned (src/report),
 * and announced on stderr, so that stdout carries the same text as without it.
 * --open hands the file to the system's opener (xdg-open, open, start) when
 * there is one, and otherwise says where the file is.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, statSync, unlinkSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { UsageError } from './usage-error.js';
type Reports = typeof import('../report/index.js');

export interface HtmlOptions {
  html?: string;
  open?: boolean;
}

/** Adds --html and --open to a command. */
export function withHtmlOptions(command: Command): Command {
  return command
    .option('--html <file>', 'also write what this prints as a self-contained HTML report with charts to FILE (one file, opens from file:// with no network; stdout is unchanged)')
    .option('--open', "open the --html report with the system's browser opener (xdg-open, open or start), or say where it is");
}

/** Checks --html and --open before the run: a usage error for no name, a folder, a missing folder, a file that cannot be written, or --open alone. */
export function checkHtmlOptions(options: HtmlOptions): void {
  if (options.open && options.html === undefined) throw new UsageError('--open needs --html <file>');
  if (options.html === undefined) return;
  if (options.html.trim() === '') throw new UsageError('--html needs a file name');
  if (options.html === '-') throw new UsageError('--html - : a report is a page to open in a browser, not a stream; give a file name (./-  if you mean a file called -)');
  const file = resolve(options.html);
  if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`--html ${options.html} is a folder; give a file name`);
  const folder = dirname(file);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`--html ${options.html}: the folder ${folder} does not exist`);
  const refused = openingRefused(file);
  if (refused !== null) throw new UsageError(`--html ${options.html}: cannot write there (${refused})`);
}

/** Why `file` cannot be opened for writing (EACCES, EROFS, ...), or null when it can; a file made by trying is removed. */
function openingRefused(file: string): string | null {
  const existed = existsSync(file);
  try {
    closeSync(openSync(file, 'a'));
    if (!existed) unlinkSync(file);
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}

/**
 * When --html was given: loads src/report, lets `write` make the report's data from the engine's
 * result and write it to the file, then opens it when --open was given.
 */
export async function emitHtmlReport(options: HtmlOptions, write: (reports: Reports, file: string) => void): Promise<void> {
  if (options.html === undefined) return;
  const file = resolve(options.html);
  const reports = await import('../report/index.js');
  try {
    write(reports, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    throw new UsageError(`--html ${options.html}: cannot write the report: ${code}`);
  }
  process.stderr.write(`memplay: report written to ${file}\n`);
  if (options.open) openInBrowser(file);
}

const OPENERS: Readonly<Partial<Record<NodeJS.Platform, string[]>>> = {
  linux: ['xdg-open'],
  freebsd: ['xdg-open'],
  darwin: ['open'],
  win32: ['cmd', '/c', 'start', '""'],
};

function openInBrowser(file: string): void {
  const opener = OPENERS[process.platform];
  if (opener === undefined || !onPath(opener[0])) {
    process.stderr.write(`memplay: no system opener found (${opener?.[0] ?? 'none for this platform'}); open ${pathToFileURL(file).href} in a browser\n`);
    return;
  }
  const child = spawn(opener[0], [...opener.slice(1), file], { detached: true, stdio: 'ignore' });
  child.on('error', () => process.stderr.write(`memplay: ${opener[0]} failed; open ${pathToFileURL(file).href} in a browser\n`));
  child.unref();
}

function onPath(program: string): boolean {
  if (process.platform === 'win32') return true;
  return (process.env.PATH ?? '').split(delimiter).some((folder) => folder !== '' && existsSync(join(folder, program)));
}
