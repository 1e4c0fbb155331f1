/*
 * The shim's compiled bytecode, made once per installation: what CPython's
 * __pycache__ is to an installed package. Pyodide runs with
 * sys.dont_write_bytecode, so without it every process would compile the shim's
 * modules from source as it imports them (measured here: about 60 ms of each
 * process's start on a kept interpreter, against about 20 ms from bytecode).
 *
 * The first interpreter compiles shim/ with compileall into its in-memory file
 * system, as unchecked-hash .pyc files (never compared with their sources, whose
 * copies are newer than them), and saves them under
 * node_modules/.cache/memplay/shim-<Pyodide version>-<key>/, the key a hash of
 * every shim source, so an edited shim compiles anew. Every later interpreter
 * gets the saved files copied beside the sources. When the cache cannot be
 * written, each interpreter compiles its own.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { packageRoot } from '../package-info.js';
import type { Interpreter } from './interpreter.js';

/** Puts compiled bytecode beside the shim's sources in `folder` of the interpreter's file system (see the module comment). */
export function installShimBytecode(pyodide: Interpreter, source: string, folder: string, version: string): void {
  const cache = cacheFolder(source, version);
  if (existsSync(cache)) return copyIn(pyodide, cache, folder);
  pyodide.runPython(`import compileall, py_compile\ncompileall.compile_dir(${JSON.stringify(folder)}, quiet=1, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)`);
  saveOut(pyodide, folder, cache);
}

function cacheFolder(source: string, version: string): string {
  const hash = createHash('sha256');
  for (const file of pythonFiles(source)) hash.update(`${relative(source, file)}\n`).update(readFileSync(file));
  return join(packageRoot(), 'node_modules', '.cache', 'memplay', `shim-${version}-${hash.digest('hex').slice(0, 12)}`);
}

function pythonFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => (entry.isDirectory() ? pythonFiles(join(folder, entry.name)) : entry.name.endsWith('.py') ? [join(folder, entry.name)] : []));
}

/** Copies every saved .pyc into the interpreter, at the same path under `folder`. */
function copyIn(pyodide: Interpreter, cache: string, folder: string, within = ''): void {
  for (const entry of readdirSync(join(cache, within), { withFileTypes: true })) {
    const path = within === '' ? entry.name : `${within}/${entry.name}`;
    if (entry.isDirectory()) {
      pyodide.FS.mkdirTree(`${folder}/${path}`);
      copyIn(pyodide, cache, folder, path);
    } else pyodide.FS.writeFile(`${folder}/${path}`, readFileSync(join(cache, path)));
  }
}

/** Saves the interpreter's __pycache__ files under `folder` into `cache` (written aside, then renamed into place). */
function saveOut(pyodide: Interpreter, folder: string, cache: string): void {
  const partial = `${cache}.${process.pid}.${Date.now()}.partial`;
  try {
    for (const path of compiledFiles(pyodide, folder)) {
      const file = join(partial, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, pyodide.FS.readFile(`${folder}/${path}`));
    }
    renameSync(partial, cache);
  } catch {
    // Unwritable, or another process saved it first: this interpreter has its own.
    rmSync(partial, { recursive: true, force: true });
  }
}

/** The .pyc files under `folder`, relative to it. */
function compiledFiles(pyodide: Interpreter, folder: string, within = ''): string[] {
  const here = within === '' ? folder : `${folder}/${within}`;
  return (pyodide.FS.readdir(here) as string[])
    .filter((name) => name !== '.' && name !== '..')
    .flatMap((name) => {
      const path = within === '' ? name : `${within}/${name}`;
      if (pyodide.FS.isDir(pyodide.FS.stat(`${folder}/${path}`).mode)) return compiledFiles(pyodide, folder, path);
      return name.endsWith('.pyc') ? [path] : [];
    });
}
