/*
 * The static import graph of the project's TypeScript sources, read from the
 * files themselves: for each file under a folder, the project files its
 * `import … from`, `export … from` and `import('…')` specifiers name (relative
 * ones only; packages and node: builtins are not edges). Type-only imports count
 * too: a folder that names another's types still depends on it. The runtime
 * graph leaves out type-only imports, which load nothing: what a thread loads.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

export const projectRoot = normalize(join(dirname(new URL(import.meta.url).pathname), '..', '..'));

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

function sourceFiles(folder: string): string[] {
  return readdirSync(join(projectRoot, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .map((name) => join(folder, name));
}

/** `import type … from '…'` and `export type … from '…'`: erased by the compiler, they load nothing. */
const TYPE_ONLY = /^\s*(?:import|export)\s+type\s[^;]*?from\s*['"][^'"]+['"];?/gm;

/** Project-relative path -> the project-relative .ts paths it imports (with `runtime`, only the imports that load a module). */
export function importGraph(folder: string, { runtime = false } = {}): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(folder)) {
    const source = readFileSync(join(projectRoot, file), 'utf8');
    const text = runtime ? source.replace(TYPE_ONLY, '') : source;
    const targets = [...text.matchAll(SPECIFIER)].map((match) =>
      relative(projectRoot, join(projectRoot, dirname(file), match[1]!)).replace(/\.js$/, '.ts'),
    );
    graph.set(file, targets);
  }
  return graph;
}

/** One import circle of the graph (its files, the first repeated at the end), or null. */
export function findCircle(graph: Map<string, string[]>): string[] | null {
  const DONE = 2;
  const state = new Map<string, number>();
  const path: string[] = [];
  const visit = (file: string): string[] | null => {
    if (state.get(file) === DONE) return null;
    const at = path.indexOf(file);
    if (at >= 0) return [...path.slice(at), file];
    path.push(file);
    for (const target of graph.get(file) ?? []) {
      const circle = visit(target);
      if (circle) return circle;
    }
    path.pop();
    state.set(file, DONE);
    return null;
  };
  for (const file of graph.keys()) {
    const circle = visit(file);
    if (circle) return circle;
  }
  return null;
}

/** Every project file that loading `file` loads, `file` included, by `graph`'s edges. */
export function reach(graph: Map<string, string[]>, file: string): Set<string> {
  const seen = new Set<string>();
  const visit = (at: string) => {
    if (seen.has(at)) return;
    seen.add(at);
    for (const target of graph.get(at) ?? []) visit(target);
  };
  visit(file);
  return seen;
}
