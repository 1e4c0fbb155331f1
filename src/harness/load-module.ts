/*
 * Loads a module by path or file URL, TypeScript included: what lets a user hand
 * memplay a scenario.ts, and lets a worker run code that was never compiled.
 * TypeScript goes through tsx (esbuild, no type check), in the module format
 * Node would give the file: ES module for .mts and for .ts under a package.json
 * with "type": "module" (tsx's tsImport), CommonJS otherwise (tsx's require
 * hooks, whose require() of memplay answers memplay's own ES modules).
 * Both register source maps, so with source maps on (set here) an error's stack
 * names the user's file, line and column; tsImport of a CommonJS-format file
 * would evaluate it from a data: URL whose frames name no file. Anything else
 * goes through import(). The bare specifier 'memplay' in a loaded module means
 * the memplay that loads it (memplay-specifier.ts), for every module but
 * memplay's own compiled ones (needsMemplaySpecifier).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { packageRoot } from '../package-info.js';

const TYPESCRIPT = /\.(ts|mts|cts|tsx)$/;

/** The file URL for a path (relative to the current directory) or a file URL. */
export function toModuleUrl(pathOrUrl: string): string {
  if (pathOrUrl.startsWith('file:')) return pathOrUrl;
  return pathToFileURL(isAbsolute(pathOrUrl) ? pathOrUrl : resolve(pathOrUrl)).href;
}

/** Modules loaded by this thread, by URL: as Node's import() does, each is evaluated once (tsx's tsImport would compile and run it again on every call). */
const loaded = new Map<string, Promise<Record<string, unknown>>>();

export function loadModule(pathOrUrl: string): Promise<Record<string, unknown>> {
  const url = toModuleUrl(pathOrUrl);
  let module = loaded.get(url);
  if (module === undefined) {
    module = importOnce(url);
    loaded.set(url, module);
    // A module that failed to load may be fixed on disk: the next call tries again.
    module.catch(() => loaded.delete(url));
  }
  return module;
}

async function importOnce(url: string): Promise<Record<string, unknown>> {
  if (needsMemplaySpecifier(url)) {
    const { resolveMemplaySpecifier } = await import('../memplay-specifier.js');
    resolveMemplaySpecifier();
  }
  const namespace = TYPESCRIPT.test(url) ? await importTypeScript(url) : await import(url);
  return unwrapInterop(namespace as Record<string, unknown>);
}

/**
 * Whether the module may import 'memplay' from where Node would not find it: any
 * module but memplay's own compiled ones (dist/, the built-in scenarios and
 * workers' tasks), which import memplay by relative paths. The resolution hook
 * costs a thread its start (Node 20 runs it on a loader thread of its own, and
 * every import after it asks that thread), so a worker that runs only memplay's
 * own modules goes without it (and without loading memplay-specifier.ts).
 */
function needsMemplaySpecifier(url: string): boolean {
  return !fileURLToPath(url).startsWith(join(packageRoot(), 'dist') + sep);
}

/** tsx is loaded only when a TypeScript file is asked for: it costs every worker start that needs it. */
async function importTypeScript(url: string): Promise<unknown> {
  process.setSourceMapsEnabled(true);
  if (isEsModule(fileURLToPath(url))) {
    const { tsImport } = await import('tsx/esm/api');
    return tsImport(url, import.meta.url);
  }
  return requireTypeScript(fileURLToPath(url));
}

let requireRegistered = false;

/**
 * A CommonJS-format TypeScript file: through tsx's require hooks, registered for
 * the thread (not namespaced, so require() finds memplay's entries where
 * memplay-specifier.ts's shareEntriesWithRequire put them, instead of compiling
 * memplay anew).
 */
async function requireTypeScript(file: string): Promise<unknown> {
  const [{ shareEntriesWithRequire }, { register }] = await Promise.all([import('../memplay-specifier.js'), import('tsx/cjs/api')]);
  await shareEntriesWithRequire();
  if (!requireRegistered) {
    register();
    requireRegistered = true;
  }
  return createRequire(import.meta.url)(file);
}

/** Node's rule for a TypeScript file's format: .mts is ESM, .cts CommonJS, .ts/.tsx follow the nearest package.json's "type". */
function isEsModule(file: string): boolean {
  if (file.endsWith('.mts')) return true;
  if (file.endsWith('.cts')) return false;
  for (let folder = dirname(file); ; folder = dirname(folder)) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest)) return packageType(manifest) === 'module';
    if (dirname(folder) === folder) return false;
  }
}

function packageType(manifest: string): unknown {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type;
  } catch {
    return undefined;
  }
}

/** tsx may wrap an ES module's namespace once more under `default` when it treats the file as CommonJS. */
function unwrapInterop(namespace: Record<string, unknown>): Record<string, unknown> {
  const inner = namespace.default as Record<string, unknown> | undefined;
  const wrapped = inner !== null && typeof inner === 'object' && Object.keys(namespace).every((key) => key === 'default' || key in inner);
  return wrapped && '__esModule' in inner ? inner : namespace;
}
