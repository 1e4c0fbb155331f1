/*
 * Definitions: what a scenario file (defineScenario) or a stress-target file
 * (defineStressTarget) exports as default, checked by its define function and
 * branded with a symbol from the global registry (Symbol.for), so that a
 * definition made by any copy of memplay's modules is recognised.
 *
 * The brand carries the definition's runtime: the kernel and attach() as seen
 * from the definition's own module graph, which may differ from the engine's (a
 * user file imported through tsx, or built-in scenarios compiled under the test
 * runner), so that setup() allocates in the kernel the workers share and
 * attach() rebuilds objects of the definition's own classes.
 *
 * loadDefinition is the one loader of such files: a path that leads nowhere or a
 * file that exports no definition is the engine's usage error; a file that does
 * not compile or raises while it loads is its UserCodeError (user-code.ts).
 */
import { attach as attachKnown } from '../attach-loaded.js';
import { Kernel, defaultKernel, useKernel } from '../shm/kernel.js';
import { loadUserModule, userFileProblem } from '../user-code.js';
import type { HandleLike } from './wire.js';

/** What an engine needs from a definition's own module graph. */
export interface DefinitionRuntime {
  /** Makes `buffer`'s kernel the one setup() allocates in. */
  adoptKernel(buffer: SharedArrayBuffer): void;
  /** Rebuilds a shared object from its handle, with the definition's classes. */
  attach(handle: HandleLike): unknown;
  /** Where the file called its define function ("/path/x.ts:5:16"). */
  readonly definedAt?: string;
}

const runtime: DefinitionRuntime = {
  adoptKernel(buffer) {
    if (defaultKernel().buffer !== buffer) useKernel(Kernel.fromBuffer(buffer));
  },
  attach(handle) {
    return attachKnown(handle as never);
  },
};

/** The checked definition, frozen and branded with this module graph's runtime. */
export function brandDefinition<T extends object, B extends symbol>(brand: B, definition: T, definedAt?: string): T & { readonly [K in B]: DefinitionRuntime } {
  return Object.freeze({ ...definition, [brand]: { ...runtime, definedAt } }) as T & { readonly [K in B]: DefinitionRuntime };
}

/** Whether `value` carries `brand` (made by a define function of any copy of memplay). */
export function hasBrand(value: unknown, brand: symbol): boolean {
  return value !== null && typeof value === 'object' && brand in value;
}

/** What loadDefinition needs to know of one kind of definition. */
export interface DefinitionKind<D> {
  /** "scenario", "stress target". */
  readonly noun: string;
  /** The line a file needs: "export default defineScenario({...})". */
  readonly needs: string;
  readonly is: (value: unknown) => value is D;
  /** The engine's usage error (exit 2). */
  readonly usageError: (message: string) => Error;
}

/** Loads the definition `file` exports as default. */
export async function loadDefinition<D>(file: string, kind: DefinitionKind<D>): Promise<D> {
  const problem = userFileProblem(file);
  if (problem !== undefined) throw kind.usageError(`${kind.noun} ${problem}`);
  const definition = (await loadUserModule(file)).default;
  if (!kind.is(definition)) throw kind.usageError(`${file} does not export a ${kind.noun}: it needs '${kind.needs}'`);
  return definition;
}
