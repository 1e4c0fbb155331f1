/*
 * Where memplay's worker entry points are on disk. Workers always run the
 * compiled JavaScript in dist/workers (built by `npm run build`), whether the
 * code that starts them runs from dist (the CLI) or from src (the tests).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-info.js';

export function workerFile(name: string): string {
  const file = join(packageRoot(), 'dist', 'workers', `${name}.js`);
  if (!existsSync(file)) throw new Error(`worker entry ${file} is missing: run 'npm run build' first`);
  return file;
}
