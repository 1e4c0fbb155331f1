/*
 * Facts about the installed package: its root folder, and its name, version and
 * "exports" read from package.json wherever the code runs from (src/ under
 * vitest, dist/src/ when built).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The folder that holds memplay's package.json. */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!isMemplayRoot(folder)) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error("cannot find memplay's package.json above " + fileURLToPath(import.meta.url));
    folder = parent;
  }
  root = folder;
  return folder;
}

function isMemplayRoot(folder: string): boolean {
  const manifest = join(folder, 'package.json');
  return existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'memplay';
}

export interface PackageManifest {
  readonly name: string;
  readonly version: string;
  /** Subpath ('.', './scenario') -> the module it names, as package.json's "exports" give it. */
  readonly exports: Readonly<Record<string, { readonly types: string; readonly default: string }>>;
}

let manifest: PackageManifest | undefined;

export function packageManifest(): PackageManifest {
  manifest ??= JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as PackageManifest;
  return manifest;
}

export function packageVersion(): string {
  return packageManifest().version;
}
