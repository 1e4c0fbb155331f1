/*
 * `import ... from 'memplay'` (or 'memplay/scenario') in a user's file, wherever
 * that file lives: the package's specifiers resolve to the memplay that is
 * running it.
 *
 * Node resolves a bare specifier by looking for node_modules/memplay in the
 * importing file's folder and its parents, so a scenario in a folder of its own
 * (a temporary folder, a notes folder) would not find memplay even though memplay
 * is what runs it. The specifiers are the package's own: one per entry of
 * package.json's "exports" ('.' is 'memplay', './scenario' is 'memplay/scenario'),
 * each answered with the module the entry names, taken as this module's sibling
 * (src/scenario.ts under the test runner, dist/src/scenario.js once built). A
 * module resolution hook (Node's module.register, stable in Node 20.6+) answers
 * them and passes every other specifier on. The hook runs on Node's loader
 * thread, which has no TypeScript, so it is a small JavaScript module handed over
 * as a data: URL, with the table in its initialize data. That covers ES modules.
 * A .ts file outside any `"type": "module"` package is CommonJS to tsx, and its
 * imports become require() calls, which Node 20's hooks do not see: for those,
 * CommonJS's resolver (Module._resolveFilename, which tsx wraps the same way)
 * answers them too. Both are per thread: every thread that loads a user's module
 * sets them up once (harness/load-module.ts does).
 *
 * A require() of an entry must not load memplay a second time: Node 20 cannot
 * require an ES module, so tsx would compile each of memplay's modules to
 * CommonJS with esbuild, in every thread (1.5-2 s each, measured here), and the
 * user's file would get a copy of memplay of its own. shareEntriesWithRequire()
 * imports every entry as the ES module it is and puts its namespace in
 * CommonJS's module cache under the entry's path, so that require() answers the
 * very modules memplay runs.
 */
import Module, { register } from 'node:module';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageManifest } from './package-info.js';

const HOOK = `
let targets;
export function initialize(data) { targets = data.targets; }
export async function resolve(specifier, context, nextResolve) {
  if (Object.hasOwn(targets, specifier)) return { url: targets[specifier], shortCircuit: true };
  return nextResolve(specifier, context);
}
`;

/** Each of the package's specifiers ('memplay', 'memplay/scenario', ...) -> the file URL of the module that answers it here. */
export function memplaySpecifiers(): Record<string, string> {
  const manifest = packageManifest();
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const targets: Record<string, string> = {};
  for (const [subpath, entry] of Object.entries(manifest.exports)) {
    const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.replace(/^\.\//, '')}`;
    targets[specifier] = new URL(`./${basename(entry.default, '.js')}${extension}`, import.meta.url).href;
  }
  return targets;
}

type ResolveFilename = (this: unknown, request: string, ...rest: unknown[]) => string;
const commonJs = Module as unknown as { _resolveFilename: ResolveFilename; _cache: Record<string, Module> };

let registered = false;

/** Makes the package's specifiers resolve to this memplay in every module this thread loads from now on. */
export function resolveMemplaySpecifier(): void {
  if (registered) return;
  registered = true;
  const targets = memplaySpecifiers();
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`, { data: { targets } });
  const resolveFilename = commonJs._resolveFilename;
  const paths = new Map(Object.entries(targets).map(([specifier, url]) => [specifier, fileURLToPath(url)]));
  commonJs._resolveFilename = function (request, ...rest) {
    return paths.get(request) ?? resolveFilename.call(this, request, ...rest);
  };
}

let shared: Promise<void> | null = null;

/** Makes require() of each entry (by specifier or by path) answer the ES module memplay runs (see the module comment). */
export function shareEntriesWithRequire(): Promise<void> {
  shared ??= Promise.all(Object.values(memplaySpecifiers()).map(cacheForRequire)).then(() => undefined);
  return shared;
}

async function cacheForRequire(url: string): Promise<void> {
  const namespace = (await import(url)) as object;
  const path = fileURLToPath(url);
  const module = new Module(path);
  module.filename = path;
  module.exports = namespace;
  module.loaded = true;
  commonJs._cache[path] = module;
}
