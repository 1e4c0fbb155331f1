/*
 * The worker-side test code of test/workers/ (the *-ops.ts modules,
 * sync-schedule.ts, stress-robust.ts), as the threads should load it: compiled
 * under dist/test/workers/ (tsconfig.json builds them, and `npm test` builds
 * first), the TypeScript only in an unbuilt checkout. A thread that imports
 * TypeScript starts tsx's loader first, about 0.4 s of every pool thread's
 * start here; the compiled module loads in a fraction of that.
 */
import { compiledWhenBuilt } from '../../src/harness/module-finder.js';

/** The file URL of test/workers/<name> for worker threads to import. */
export function workerModule(name: string): string {
  return compiledWhenBuilt(import.meta.url, `../workers/${name}`);
}
