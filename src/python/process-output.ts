/*
 * What one Python process writes to stdout and stderr (in its worker): written
 * straight to file descriptors 1 and 2 with writeSync, so what every process
 * writes reaches the terminal in the order it was written; stdout is kept back
 * when quiet (the runs of a --repeat), and stderr too when silent (explore's
 * schedules); stdout's last line (or, when asked, all of it) is kept for the
 * run's outcome, and stderr's last ERROR_LINES_KEPT lines (a traceback, for the
 * HTML report; its last line names the error).
 *
 * With --label each line goes out prefixed with the process's name, `[Process-1] `:
 * each stream keeps the part of a line written so far (decoded as UTF-8) until
 * its newline arrives, and writes the whole line at once, so that another
 * process's line never lands in the middle of it; end() writes what is left of an
 * unfinished line, with a newline. (A process whose thread is terminated, by
 * terminate() or the timeout, loses an unfinished line.)
 */
import { writeSync } from 'node:fs';
import { lastLineOf } from './outcomes.js';

export interface OutputOptions {
  /** The process's name, the prefix of its lines with `label`. */
  readonly name: string;
  /** Keep stdout back instead of writing it. */
  readonly quiet: boolean;
  /** Keep stderr back as well. */
  readonly silent?: boolean;
  readonly label: boolean;
  /** Keep all of stdout (for `text`), not only its last line. */
  readonly keepStdout: boolean;
}

export class ProcessOutput {
  readonly #stdout: OutputStream;
  readonly #stderr: OutputStream;
  readonly #kept: StdoutRecord;
  readonly #keptErrors = new StdoutRecord(ERROR_LINES_KEPT);

  constructor(options: OutputOptions) {
    const prefix = options.label ? `[${options.name}] ` : null;
    this.#stdout = new OutputStream(options.quiet ? null : 1, prefix);
    this.#stderr = new OutputStream(options.silent === true ? null : 2, prefix);
    this.#kept = new StdoutRecord(options.keepStdout ? Infinity : LAST_LINE);
  }

  /** Pyodide's write for file descriptor `fd`: answers the bytes taken (all of them). */
  write(fd: 1 | 2, bytes: Uint8Array): number {
    (fd === 1 ? this.#kept : this.#keptErrors).add(bytes);
    (fd === 1 ? this.#stdout : this.#stderr).write(bytes);
    return bytes.length;
  }

  /** The process ended: writes what is left of unfinished labelled lines. */
  end(): void {
    this.#stdout.end();
    this.#stderr.end();
  }

  /** The last line written to stdout ('' if none). */
  get lastLine(): string {
    return this.#kept.lastLine;
  }

  /** The last line written to stderr ('' if none). */
  get lastErrorLine(): string {
    return this.#keptErrors.lastLine;
  }

  /** All of stdout when kept, else null. */
  get text(): string | null {
    return this.#kept.text;
  }

  /** The last ERROR_LINES_KEPT lines written to stderr ('' if none). */
  get errorText(): string {
    return this.#keptErrors.text!;
  }
}

/** One stream to a file descriptor (or to nowhere), written through or, with a prefix, line by line. */
class OutputStream {
  readonly #decoder = new TextDecoder();
  readonly #encoder = new TextEncoder();
  #unfinished = '';

  constructor(
    readonly fd: 1 | 2 | null,
    readonly prefix: string | null,
  ) {}

  write(bytes: Uint8Array): void {
    if (this.fd === null) return;
    if (this.prefix === null) return writeAll(this.fd, bytes);
    const lines = (this.#unfinished + this.#decoder.decode(bytes, { stream: true })).split('\n');
    this.#unfinished = lines.pop()!;
    if (lines.length > 0) this.#writeLines(lines);
  }

  end(): void {
    if (this.fd === null || this.prefix === null) return;
    const rest = this.#unfinished + this.#decoder.decode();
    this.#unfinished = '';
    if (rest !== '') this.#writeLines([rest]);
  }

  #writeLines(lines: readonly string[]): void {
    writeAll(this.fd!, this.#encoder.encode(lines.map((line) => `${this.prefix}${line}\n`).join('')));
  }
}

/** Lines of stderr kept: a traceback's, chained exceptions included, in most cases. */
const ERROR_LINES_KEPT = 60;
/** The lines kept for a stream's last line: it, and the one being written (a final newline leaves it empty). */
const LAST_LINE = 2;

/** What a stream carried: its last `keepLines` lines' worth (Infinity: all of it). */
class StdoutRecord {
  readonly #decoder = new TextDecoder();
  #text = '';

  constructor(readonly keepLines: number) {}

  add(bytes: Uint8Array): void {
    this.#text += this.#decoder.decode(bytes, { stream: true });
    if (this.keepLines !== Infinity) this.#text = this.#text.split('\n').slice(-this.keepLines).join('\n');
  }

  get lastLine(): string {
    return lastLineOf(this.#text);
  }

  /** What is kept: all of it when keepLines is Infinity, else null for stdout's record (only its last line counts). */
  get text(): string | null {
    return this.keepLines === LAST_LINE ? null : this.#text;
  }
}

/** Writes all of `bytes` to `fd` (a pipe may take part of it, or ask to try again). */
function writeAll(fd: 1 | 2, bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) {
    try {
      written += writeSync(fd, bytes, written);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}
