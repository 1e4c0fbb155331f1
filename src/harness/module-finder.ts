/*
 * Which file a module name means, written once for the whole project. memplay
 * runs in two forms: compiled (dist/, what the CLI runs) and as TypeScript source
 * (src/, under the test runner). A module that names another beside it must name
 * it in its own form (.ts beside .ts, .js beside .js); a module that a worker is
 * to load is better taken compiled whenever `npm run build` has made it, since a
 * worker that loads TypeScript compiles it first (seconds per worker:
 * startup-limit.ts). And a command-line argument is a file when it looks like a
 * path, a built-in's name otherwise.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { packageRoot } from '../package-info.js';

/** The file URL of the module `path` (relative, no extension) beside `base` (an import.meta.url), in base's own form. */
function siblingModule(base: string, path: string): string {
  return new URL(`${path}${base.endsWith('.ts') ? '.ts' : '.js'}`, base).href;
}

/**
 * The file URL of the module `path` (relative, no extension) beside `base`,
 * compiled under dist/ whenever it has been built, even when `base` runs from
 * source; the source itself only in an unbuilt checkout.
 */
export function compiledWhenBuilt(base: string, path: string): string {
  const sibling = siblingModule(base, path);
  if (!sibling.endsWith('.ts')) return sibling;
  const compiled = compiledFile(fileURLToPath(sibling));
  return existsSync(compiled) ? pathToFileURL(compiled).href : sibling;
}

/** Where `npm run build` puts the JavaScript of a TypeScript file of the project. */
export function compiledFile(source: string): string {
  return join(packageRoot(), 'dist', relative(packageRoot(), source)).replace(/\.(m|c)?ts$/, '.$1js');
}

/** A folder of modules (e.g. scenarios/): compiled under dist/ when built, else the sources; and the extension its modules have there. */
export function moduleFolder(base: string, folder: string): { readonly path: string; readonly extension: '.ts' | '.js' } {
  const source = fileURLToPath(new URL(folder, base));
  const compiled = compiledFile(source);
  if (!base.endsWith('.ts') || existsSync(compiled)) return { path: base.endsWith('.ts') ? compiled : source, extension: '.js' };
  return { path: source, extension: '.ts' };
}

/** Whether a command-line argument names a file rather than a built-in (scenario, stress target). */
export function looksLikePath(argument: string): boolean {
  return /[/\\]/.test(argument) || /\.(ts|mts|js|mjs)$/.test(argument);
}
