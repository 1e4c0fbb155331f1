/*
 * `import ... from 'memplay'` in a user's file, wherever that file lives: the bare
 * specifier 'memplay' resolves to the memplay that is running it.
 *
 * Node resolves a bare specifier by looking for node_modules/memplay in the
 * importing file's folder and its parents, so a scenario in a folder of its own
 * (a temporary folder, a notes folder) would not find memplay even though memplay
 * is what runs it. A module resolution hook (Node's module.register, stable in
 * Node 20.6+) answers 'memplay' with this module's sibling index (src/index.ts
 * under the test runner, dist/src/index.js once built) and passes every other
 * specifier on. The hook runs on Node's loader thread, which has no TypeScript, so
 * it is a small JavaScript module handed over as a data: URL, with the target in
 * its initialize data. That covers ES modules. A .ts file outside any
 * `"type": "module"` package is CommonJS to tsx, and its imports become require()
 * calls, which Node 20's hooks do not see: for those, CommonJS's resolver
 * (Module._resolveFilename, which tsx wraps the same way) answers 'memplay' too.
 * Both are per thread: every thread that loads a user's module sets them up once
 * (harness/load-module.ts does).
 */
import Module, { register } from 'node:module';
import { fileURLToPath } from 'node:url';
import { siblingModule } from './harness/module-finder.js';

const SPECIFIER = 'memplay';

const HOOK = `
let target;
export function initialize(data) { target = data.target; }
export async function resolve(specifier, context, nextResolve) {
  if (specifier === ${JSON.stringify(SPECIFIER)}) return { url: target, shortCircuit: true };
  return nextResolve(specifier, context);
}
`;

type ResolveFilename = (this: unknown, request: string, ...rest: unknown[]) => string;
const commonJs = Module as unknown as { _resolveFilename: ResolveFilename };

let registered = false;

/** Makes 'memplay' resolve to this memplay in every module this thread loads from now on. */
export function resolveMemplaySpecifier(): void {
  if (registered) return;
  registered = true;
  const target = siblingModule(import.meta.url, './index');
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`, { data: { target } });
  const resolveFilename = commonJs._resolveFilename;
  const targetPath = fileURLToPath(target);
  commonJs._resolveFilename = function (request, ...rest) {
    return request === SPECIFIER ? targetPath : resolveFilename.call(this, request, ...rest);
  };
}
