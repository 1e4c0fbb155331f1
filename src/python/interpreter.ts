/*
 * One Pyodide interpreter per Python process (the `pyodide` npm package, loaded
 * from node_modules with no network), as each multiprocessing.Process has its own
 * CPython. Loading one fresh costs seconds, nearly all of it the interpreter's own
 * initialisation; a memory snapshot taken after start-up (with the standard
 * library modules the shim needs already imported) loads in a fraction of that.
 * The snapshot is made once per installation into node_modules/.cache/memplay/
 * (keyed by Pyodide's version and the list of modules imported), or, when that
 * folder cannot be written, kept for the run only.
 *
 * The interpreter's file system is Pyodide's own, in memory; the real folders a
 * script reads and writes (the working directory and the script's own folder) are
 * mounted into it at their own paths (Emscripten's NODEFS), and the working
 * directory is made the interpreter's, so open('data.bin') is the real file, and
 * a path means the same file in every process and on the host. A folder that
 * would hide Pyodide's own (/, /lib, /dev, /proc, the shim's) is left unmounted.
 *
 * A fresh interpreter starts from the snapshot; a crew thread then keeps it for
 * its next process, brought back to its fresh state (kept-interpreter.ts), so
 * runs and processes never share Python state. The shim's own modules (shim/)
 * are written into the interpreter's file system after it loads, so editing them
 * needs no new snapshot, with their bytecode compiled once per installation
 * (shim-bytecode.ts).
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { loadPyodide, type PyodideAPI } from 'pyodide';
import { packageRoot } from '../package-info.js';
import { installShimBytecode } from './shim-bytecode.js';

export type Interpreter = PyodideAPI;

/** Where an interpreter's output goes: file descriptor 1 or 2, the bytes; answers the bytes taken. */
export type OutputWriter = (fd: 1 | 2, bytes: Uint8Array) => number;

/**
 * The standard library modules imported before the snapshot is taken: what the
 * shim and most scripts use. Pyodide's standard library is Python source in a zip,
 * compiled as it is imported, and a reused interpreter forgets every module
 * imported after the snapshot; one imported here is compiled once per
 * installation (argparse alone took about 80 ms of every process otherwise).
 */
const PRELOADED = [
  'pickle', 'traceback', 'linecache', 'ctypes', 'base64', 'types', 'threading', 'itertools', 'collections', 'functools', 'random', 'time', 'os', 'sys', 'queue', 'json', 'math',
  'argparse', 're', 'struct', 'string', 'dataclasses', 'enum', 'contextlib', 'copy', 'heapq', 'bisect', 'statistics', 'datetime', 'textwrap', 'operator', 'array',
];

/** Where the interpreter's shim modules are put in its file system (first on sys.path). */
export const SHIM_FOLDER = '/memplay';

function pyodideFolder(): string {
  return dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));
}

export function pyodideVersion(): string {
  return JSON.parse(readFileSync(join(pyodideFolder(), 'package.json'), 'utf8')).version;
}

/** The snapshot's file for this installation: its name changes with Pyodide's version and the preloaded modules. */
export function snapshotFile(): string {
  const key = createHash('sha256').update(`${pyodideVersion()}\n${PRELOADED.join(',')}`).digest('hex').slice(0, 12);
  return join(packageRoot(), 'node_modules', '.cache', 'memplay', `pyodide-${pyodideVersion()}-${key}.snapshot`);
}

/** Loads a fresh interpreter, imports the preloaded modules and returns its memory snapshot. */
export async function makeSnapshot(): Promise<Uint8Array> {
  const pyodide = await loadPyodide({ indexURL: `${pyodideFolder()}/`, _makeSnapshot: true, stdout: () => {}, stderr: () => {} });
  pyodide.runPython(PRELOADED.map((name) => `import ${name}`).join('\n'));
  return pyodide.makeMemorySnapshot();
}

/** Writes the snapshot where snapshotFile() says (atomically); false when the folder cannot be written. */
export function saveSnapshot(snapshot: Uint8Array): boolean {
  const file = snapshotFile();
  try {
    mkdirSync(dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, snapshot);
    renameSync(partial, file);
    return true;
  } catch {
    return false;
  }
}

/** Whether the installation has a saved snapshot. */
export function hasSavedSnapshot(): boolean {
  return isSnapshot(snapshotFile());
}

function isSnapshot(file: string): boolean {
  return existsSync(file) && statSync(file).size > 0;
}

/**
 * The installation's snapshot, if one was saved, read straight into a
 * SharedArrayBuffer, which workers share uncopied (reading it into a Buffer and
 * copying that took 244 ms of a run's start here, this 93 ms).
 */
export function savedSnapshot(): Uint8Array | null {
  const file = snapshotFile();
  if (!isSnapshot(file)) return null;
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const bytes = new Uint8Array(new SharedArrayBuffer(size));
    for (let at = 0; at < size; ) {
      const read = readSync(fd, bytes, at, size - at, at);
      if (read === 0) throw new Error(`the snapshot ${file} ended at byte ${at} of ${size}`);
      at += read;
    }
    return bytes;
  } finally {
    closeSync(fd);
  }
}

/** A fresh interpreter from `snapshot` (or from scratch without one), its output going to `write`, the shim installed. */
export async function startInterpreter(snapshot: Uint8Array | null, write: OutputWriter): Promise<Interpreter> {
  const pyodide = await loadPyodide({
    indexURL: `${pyodideFolder()}/`,
    ...(snapshot === null ? {} : { _loadSnapshot: snapshot }),
  });
  connectOutput(pyodide, write);
  installShim(pyodide);
  return pyodide;
}

/**
 * Where each interpreter's stdout and stderr go now. Pyodide's streams are set
 * once per interpreter and write through this; each process of a kept
 * interpreter only changes the writer (setting both streams anew took about
 * 1.5 ms of every process, a tenth of an explored schedule's).
 */
const outputs = new WeakMap<Interpreter, { write: OutputWriter }>();

/** Sends what the interpreter writes to stdout and stderr to `write` (each process of a kept interpreter has its own). */
export function connectOutput(pyodide: Interpreter, write: OutputWriter): void {
  const output = outputs.get(pyodide);
  if (output !== undefined) {
    output.write = write;
    return;
  }
  const route = { write };
  outputs.set(pyodide, route);
  pyodide.setStdout({ write: (bytes: Uint8Array) => route.write(1, bytes), isatty: false });
  pyodide.setStderr({ write: (bytes: Uint8Array) => route.write(2, bytes), isatty: false });
}

/**
 * The process's stdin: the main process reads memplay's own (file descriptor 0,
 * as `python3 script.py` reads the terminal or a pipe); a child reads end of
 * file at once, as multiprocessing gives a child os.devnull for sys.stdin.
 */
export function connectInput(pyodide: Interpreter, fromTerminal: boolean): void {
  pyodide.setStdin({ read: fromTerminal ? readTerminal : () => 0, isatty: false });
}

function readTerminal(buffer: Uint8Array): number {
  try {
    return readSync(0, buffer);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EBADF') return 0; // no stdin at all: end of file
    throw error;
  }
}

/** Folders of the interpreter's own that a mounted real folder must not hide. */
const INTERPRETER_FOLDERS = ['/lib', '/dev', '/proc', SHIM_FOLDER, '/home/pyodide'];

/** Mounts the real `folders` at their own paths (see the module comment) and makes the first the working directory. */
export function mountRealFolders(pyodide: Interpreter, folders: readonly string[]): void {
  const mounted: string[] = [];
  // Outer folders first: one inside a mounted folder is reached through it (a folder holding a mount point cannot be mounted over).
  for (const folder of folders.map((path) => resolve(path)).sort((a, b) => a.length - b.length)) {
    if (mounted.some((outer) => isWithin(folder, outer)) || !mayMount(folder)) continue;
    pyodide.FS.mkdirTree(folder);
    pyodide.mountNodeFS(folder, folder);
    mounted.push(folder);
  }
  if (folders.length > 0 && mounted.some((outer) => isWithin(resolve(folders[0]), outer))) pyodide.FS.chdir(resolve(folders[0]));
}

function mayMount(folder: string): boolean {
  return folder !== sep && !INTERPRETER_FOLDERS.some((own) => isWithin(own, folder) || isWithin(folder, own));
}

function isWithin(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

/** The real path of the file open on the interpreter's descriptor `fd`, or null when it is not a mounted real file. */
export function realFilePath(pyodide: Interpreter, fd: number): string | null {
  const { FS } = pyodide as unknown as { FS: EmscriptenFS };
  let stream: EmscriptenStream | null;
  try {
    stream = FS.getStream(fd);
  } catch {
    return null;
  }
  if (stream === null || stream === undefined || stream.node.mount.type !== FS.filesystems.NODEFS) return null;
  return FS.filesystems.NODEFS.realPath(stream.node);
}

/** The little of Emscripten's FS that realFilePath() reads. */
interface EmscriptenStream {
  node: { mount: { type: unknown } };
}
interface EmscriptenFS {
  getStream(fd: number): EmscriptenStream | null;
  filesystems: { NODEFS: { realPath(node: unknown): string } };
}

/** Copies shim/ (the multiprocessing package and the runner) into the interpreter's file system, first on sys.path. */
function installShim(pyodide: Interpreter): void {
  copyFolder(pyodide, shimSource(), SHIM_FOLDER);
  installShimBytecode(pyodide, shimSource(), SHIM_FOLDER, pyodideVersion());
  pyodide.runPython(`import sys\nsys.path.insert(0, ${JSON.stringify(SHIM_FOLDER)})\nfor name in [m for m in sys.modules if m == 'multiprocessing' or m.startswith('multiprocessing.')]: del sys.modules[name]`);
}

/** The shim's Python sources, in the source tree (they are not compiled). */
function shimSource(): string {
  return join(packageRoot(), 'src', 'python', 'shim');
}

function copyFolder(pyodide: Interpreter, from: string, to: string): void {
  pyodide.FS.mkdirTree(to);
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) copyFolder(pyodide, join(from, entry.name), `${to}/${entry.name}`);
    else if (entry.name.endsWith('.py')) pyodide.FS.writeFile(`${to}/${entry.name}`, readFileSync(join(from, entry.name)));
  }
}
