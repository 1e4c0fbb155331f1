/*
 * Loads a module by path or file URL, TypeScript included: what lets a user hand
 * memplay a scenario.ts, and lets a worker run code that was never compiled.
 * TypeScript files go through tsx's tsImport (esbuild, no type check); anything
 * else through import(). The bare specifier 'memplay' in a loaded module means
 * the memplay that loads it (memplay-specifier.ts).
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveMemplaySpecifier } from './memplay-specifier.js';

const TYPESCRIPT = /\.(ts|mts|cts|tsx)$/;

/** The file URL for a path (relative to the current directory) or a file URL. */
export function toModuleUrl(pathOrUrl: string): string {
  if (pathOrUrl.startsWith('file:')) return pathOrUrl;
  return pathToFileURL(isAbsolute(pathOrUrl) ? pathOrUrl : resolve(pathOrUrl)).href;
}

export async function loadModule(pathOrUrl: string): Promise<Record<string, unknown>> {
  const url = toModuleUrl(pathOrUrl);
  resolveMemplaySpecifier();
  const namespace = TYPESCRIPT.test(url) ? await importTypeScript(url) : await import(url);
  return unwrapInterop(namespace as Record<string, unknown>);
}

/** tsx is loaded only when a TypeScript file is asked for: it costs every worker start that needs it. */
async function importTypeScript(url: string): Promise<unknown> {
  const { tsImport } = await import('tsx/esm/api');
  return tsImport(url, import.meta.url);
}

/** tsx may wrap an ES module's namespace once more under `default` when it treats the file as CommonJS. */
function unwrapInterop(namespace: Record<string, unknown>): Record<string, unknown> {
  const inner = namespace.default as Record<string, unknown> | undefined;
  const wrapped = inner !== null && typeof inner === 'object' && Object.keys(namespace).every((key) => key === 'default' || key in inner);
  return wrapped && '__esModule' in inner ? inner : namespace;
}
