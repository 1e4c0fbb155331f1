/*
 * Facts about the installed package: its root folder and version, read from
 * package.json wherever the code runs from (src/ under vitest, dist/src/ when built).
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

export function packageVersion(): string {
  return JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version;
}
