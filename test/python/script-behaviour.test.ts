/*
 * How a script runs as `python3 script.py` with the spawn start method would,
 * through the built CLI: the main process reads memplay's own stdin (as python3
 * reads a pipe), a child reads end of file (multiprocessing gives it os.devnull);
 * a script without the `if __name__ == '__main__':` guard fails in its child with
 * spawn's RuntimeError instead of starting processes without end;
 * concurrent.futures' ProcessPoolExecutor is refused in one line, exit 2, not
 * with a traceback from inside the standard library.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectUsageError, memplay } from '../helpers/cli.js';

const script = (name: string): string => fileURLToPath(new URL(`./scripts/${name}.py`, import.meta.url));
const SLOW = 120_000;

/** What the script printed on stdout, once it ran clean: nothing on stderr, exit 0. */
function printed(name: string, input?: string): string {
  const result = memplay(['run', script(name)], SLOW, input === undefined ? undefined : { input });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout;
}

describe('memplay run script.py: stdin, the main guard, refused modules', () => {
  it('gives the main process the piped stdin, line by line, and a child end of file', () => {
    expect(printed('stdin', 'a\nb\nc\n')).toBe("child reads ''\nmain reads 'a\\n'\nline b\nline c\n");
  }, SLOW);

  it('gets back from a child what it sends of the script\'s own (its class, namedtuple, exception: the parent has __mp_main__), drops a terminated Pool\'s running task, and prints processes as python3 does', () => {
    // python3 3.11's output for the same file.
    expect(printed('script-classes')).toBe([
      'Point(5)', 'Point(6)', '[Pair(a=0, b=0), Pair(a=1, b=1), Pair(a=2, b=4)]', 'ScriptError from a task 1', 'finished 9', 'running: TimeoutError',
      "<_MainProcess name='MainProcess' parent=None started>",
      "<Process name='Process-6' parent=N initial>",
      "<Process name='Process-6' pid=N parent=N stopped exitcode=0>",
      "<Process name='Process-7' pid=N parent=N stopped exitcode=-SIGTERM daemon>",
      "<Process name='Process-8' pid=N parent=N stopped exitcode=3>",
      "<Process name='Process-6' parent=N closed>",
      '',
    ].join('\n'));
  }, SLOW);

  it('has sharedctypes.copy() and Value\'s one initial value as python3, and refuses sharedctypes.synchronized by name (exit 2)', () => {
    expect(printed('sharedctypes')).toBe("TypeError __init__ expected at most 1 argument, got 2\n[1, 2]\n2.5\nb'hi'\nTypeError this type has no size\n");
    expect(expectUsageError(memplay(['run', script('sharedctypes'), 'synchronized'], SLOW))).toBe(
      'memplay: multiprocessing.sharedctypes.synchronized (Value and Array make synchronized objects) is not supported by memplay yet (supported: RawValue, RawArray, Value, Array, copy)',
    );
  }, SLOW);

  it('raises in the caller a Pool result too big for memplay\'s Queue (its worker died and the caller waited for ever), and the pool goes on', () => {
    expect(printed('pool-big-result')).toMatch(/^ValueError memplay's Queue \(and so a Pipe's message and a Pool's task or result\) holds pickles of at most 1048572 bytes, this one has \d+\n\[0, 1, 2\]\n$/);
  }, SLOW);

  it('raises BrokenPipeError on send() once every read end of the pipe is closed, as python3 (it was sent into nowhere)', () => {
    expect(printed('broken-pipe')).toBe('BrokenPipeError [Errno 32] Broken pipe\nchild got hello\nBrokenPipeError [Errno 32] Broken pipe\n');
  }, SLOW);

  it('maps 20,000 items through a Pool in chunks, as CPython does, with python3\'s results and first error (one task per item took 1.2 ms each)', () => {
    expect(printed('pool-chunks')).toBe([
      '20000 2666466670000 [0, 1, 4] 399960001', '[8, 9, 8, 9, 8, 9]',
      '[0, 1, 4, 9, 16, 25, 36, 49, 64, 81] [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]', 'ValueError seven 7', '[] [0, 1, 4, 9, 16]', '81', '',
    ].join('\n'));
  }, SLOW);

  it('reads end of file at once when stdin is empty', () => {
    const result = memplay(['run', script('stdin')], SLOW, { input: '' });
    expect(result.stdout).toBe("child reads ''\nmain reads ''\n");
    expect(result.status).toBe(0);
  }, SLOW);

  it('fails a child that starts a process while it imports the main script without the guard, as spawn does; the parent goes on', () => {
    const result = memplay(['run', script('no-main-guard')], SLOW);
    expect(result.stdout).toBe('0 1\n');
    expect(result.stderr).toMatch(/^Traceback \(most recent call last\):\n  File ".*no-main-guard\.py", line 6, in <module>\n/);
    expect(result.stderr).toContain('RuntimeError: \n        An attempt has been made to start a new process before the\n        current process has finished its bootstrapping phase.');
    expect(result.status).toBe(0);
  }, SLOW);

  it("refuses a scenario's options (--variant, --workers, --iterations, --seed) for a script, one line, exit 2", () => {
    expect(expectUsageError(memplay(['run', script('stdin'), '--workers', '3', '--seed', '1']))).toBe('memplay: --workers, --seed apply to a scenario (not a Python script) only');
    expect(expectUsageError(memplay(['run', script('stdin'), '--variant', 'racy']))).toBe('memplay: --variant applies to a scenario (not a Python script) only');
  });

  it("answers a name CPython's multiprocessing lacks with AttributeError (hasattr works), and refuses one of its modules memplay lacks by name", () => {
    const names = memplay(['run', script('unknown-names')], SLOW);
    expect(names.stdout).toBe("False 1 ['spawn']\n");
    expect(names.status).toBe(0);
    expect(expectUsageError(memplay(['run', script('managers')], SLOW))).toMatch(/^memplay: the module multiprocessing\.managers is not supported by memplay yet \(supported: Process, /);
  }, SLOW);

  it('refuses by name, in one line with exit 2, what a script reaches of CPython\'s multiprocessing that memplay lacks (mp.Manager(), pool.ThreadPool, Process.sentinel), even inside `except Exception`', () => {
    const folder = mkdtempSync(join(tmpdir(), 'memplay-refused-'));
    const refusal = (source: string): string => {
      writeFileSync(join(folder, 'refused.py'), source);
      return expectUsageError(memplay(['run', join(folder, 'refused.py')], SLOW)).replace(/ \(supported: .*\)$/, '');
    };
    try {
      expect(refusal("import multiprocessing as mp\nif __name__ == '__main__':\n    mp.Manager()\n")).toBe('memplay: multiprocessing.Manager is not supported by memplay yet');
      expect(refusal("import multiprocessing as mp\nif __name__ == '__main__':\n    try:\n        mp.Manager()\n    except Exception:\n        print('swallowed')\n")).toBe(
        'memplay: multiprocessing.Manager is not supported by memplay yet',
      );
      expect(refusal('from multiprocessing.pool import ThreadPool\n')).toBe('memplay: multiprocessing.pool.ThreadPool is not supported by memplay yet');
      // A refusal names what is supported in its own place, not every multiprocessing name.
      writeFileSync(join(folder, 'refused.py'), "import multiprocessing as mp\nif __name__ == '__main__':\n    mp.set_start_method('fork')\n");
      expect(expectUsageError(memplay(['run', join(folder, 'refused.py')], SLOW))).toMatch(/is not supported by memplay yet \(supported: 'spawn'\)$/);
      writeFileSync(join(folder, 'refused.py'), "import multiprocessing as mp\nif __name__ == '__main__':\n    mp.Value('u', 'x')\n");
      expect(expectUsageError(memplay(['run', join(folder, 'refused.py')], SLOW))).toMatch(/^memplay: the typecode 'u' \(c_wchar\) is not supported by memplay yet \(supported: the typecodes b B h H i I l L q Q f d c, and c_bool, c_byte, /);
      expect(refusal("import multiprocessing as mp\nif __name__ == '__main__':\n    p = mp.Process(target=len, args=('',))\n    p.start()\n    p.sentinel\n")).toBe(
        'memplay: Process.sentinel (and multiprocessing.connection.wait) is not supported by memplay yet',
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, SLOW);

  it("imports a module next to the script from any working directory, in the main process and in a child, as python3 does", () => {
    const result = memplay(['run', script('imports-local')], SLOW, { cwd: tmpdir() });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('1 0\n');
  }, SLOW);

  it('runs from a working directory inside the script\'s folder (`memplay run ../script.py`), which is the real one', () => {
    const folder = mkdtempSync(join(tmpdir(), 'memplay-cwd-'));
    try {
      const inner = join(folder, 'inner');
      mkdirSync(inner);
      writeFileSync(join(folder, 'where.py'), "import os\nopen('made-here.txt', 'w').write('x')\nprint(os.getcwd())\n");
      const result = memplay(['run', '../where.py'], SLOW, { cwd: inner });
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe(`${inner}\n`);
      expect(result.status).toBe(0);
      expect(readFileSync(join(inner, 'made-here.txt'), 'utf8')).toBe('x');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, SLOW);

  it('exits 130 on an uncaught KeyboardInterrupt in the main process, as a shell sees python3 end by SIGINT; a child\'s exitcode is 1', () => {
    const folder = mkdtempSync(join(tmpdir(), 'memplay-interrupt-'));
    try {
      writeFileSync(join(folder, 'interrupted.py'), [
        'import multiprocessing as mp',
        'def interrupted():',
        '    raise KeyboardInterrupt',
        "if __name__ == '__main__':",
        '    child = mp.Process(target=interrupted)',
        '    child.start()',
        '    child.join()',
        '    print(child.exitcode)',
        '    interrupted()',
        '',
      ].join('\n'));
      const result = memplay(['run', join(folder, 'interrupted.py')], SLOW);
      expect(result.stdout).toBe('1\n');
      expect(result.stderr).toMatch(/KeyboardInterrupt\n$/);
      expect(result.status).toBe(130);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, SLOW);

  it('refuses concurrent.futures.ProcessPoolExecutor in one line, exit 2', () => {
    expect(expectUsageError(memplay(['run', script('process-pool-executor')], SLOW))).toBe(
      'memplay: concurrent.futures.ProcessPoolExecutor is not supported by memplay yet (use multiprocessing.Pool)',
    );
  }, SLOW);
});
