/*
 * `memplay run script.py --label`: every line each process writes to stdout and
 * stderr is prefixed with its name, in the order written, through the built CLI
 * on real Pyodide workers. scripts/labelled.py has the main process and one child
 * write whole lines, a line in two writes, and a last line without its newline.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectUsageError, memplay } from '../helpers/cli.js';

const LABELLED = fileURLToPath(new URL('./scripts/labelled.py', import.meta.url));
const SLOW = 120_000;

describe('memplay run script.py --label', () => {
  it("prefixes each process's lines with its name, a line written in parts whole, an unfinished one ended at the process's end", () => {
    const result = memplay(['run', LABELLED, '--label'], SLOW);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      '[MainProcess] main starts\n' +
        '[Process-1] child says 7\n' +
        '[Process-1] no newline at the end\n' +
        '[MainProcess] main ends, exitcode 0\n',
    );
    expect(result.stderr).toBe('[Process-1] child to stderr\n');
  }, SLOW);

  it('leaves the output as written without --label', () => {
    const result = memplay(['run', LABELLED], SLOW);
    expect(result.stdout).toBe('main starts\nchild says 7\nno newline at the endmain ends, exitcode 0\n');
    expect(result.stderr).toBe('child to stderr\n');
  }, SLOW);

  it('is a usage error for a scenario', () => {
    expect(expectUsageError(memplay(['run', 'counter', '--label']))).toBe('memplay: --label applies to a Python script (.py) only');
  });
});
