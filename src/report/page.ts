/*
 * One self-contained HTML page for a report: the run's data as JSON in a
 * <script type="application/json">, d3 and Observable Plot inlined from
 * node_modules (their minified UMD builds), and the kind's drawing code, which
 * runs in the browser. The drawing code is written as ordinary TypeScript
 * functions in src/report/draw/ and serialized with Function.prototype.toString,
 * so it is compiled and type-checked with the rest; each such function must use
 * only its parameters and the page's globals (d3, Plot, document).
 * Nothing in the page names another host: it opens from file:// with no network.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pageHelpers } from './draw/helpers.js';
import { PAGE_STYLE } from './style.js';

/** The page's drawing code: the first function is called as draw(data, root, helpers), the others are its parts. */
export type Drawing = readonly Function[];

const require = createRequire(import.meta.url);
let libraries: string | undefined;

/** d3 and Plot's minified builds, read once per process. */
function inlinedLibraries(): string {
  libraries ??= [
    ['d3', 'dist/d3.min.js'],
    ['@observablehq/plot', 'dist/plot.umd.min.js'],
  ]
    .map(([name, file]) => scriptTag(readFileSync(join(packageFolder(name), file), 'utf8')))
    .join('\n');
  return libraries;
}

/** Where Node would find the package `name` (its exports map hides the dist files from require.resolve). */
function packageFolder(name: string): string {
  const folder = (require.resolve.paths(name) ?? []).map((modules) => join(modules, name)).find((candidate) => existsSync(join(candidate, 'package.json')));
  if (folder === undefined) throw new Error(`cannot find the package ${name} (npm install)`);
  return folder;
}

/** A <script> whose text cannot end the element early. */
function scriptTag(code: string, type = ''): string {
  return `<script${type === '' ? '' : ` type="${type}"`}>${code.replace(/<\/(script)/gi, '<\\/$1')}</script>`;
}

/** JSON safe inside a <script> element: no '<' can close it or open a comment. */
function embeddedJson(data: unknown): string {
  return JSON.stringify(data, (_key, value: unknown) => (typeof value === 'bigint' ? Number(value) : value)).replace(/</g, '\\u003c');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}


export interface PageSpec {
  kind: string;
  title: string;
  data: unknown;
  drawing: Drawing;
}

/** The whole page as one string. */
export function reportPage(spec: PageSpec): string {
  const boot = `(function () {
  const data = JSON.parse(document.getElementById('memplay-data').textContent);
  const helpers = (${pageHelpers.toString()})();
  const root = document.getElementById('report');
  ${spec.drawing.map((part) => part.toString()).join('\n  ')}
  try { ${spec.drawing[0].name}(data, root, helpers); root.dataset.drawn = 'true'; }
  catch (error) { root.dataset.drawn = 'failed'; console.error(error); root.append(Object.assign(document.createElement('pre'), { textContent: String(error && error.stack || error) })); }
})();`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(spec.title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body data-kind="${escapeHtml(spec.kind)}">
<header><h1>${escapeHtml(spec.title)}</h1><p class="made">memplay report · ${escapeHtml(spec.kind)} · data embedded in this file</p></header>
<main id="report"></main>
${scriptTag(embeddedJson(spec.data), 'application/json').replace('<script ', '<script id="memplay-data" ')}
${inlinedLibraries()}
${scriptTag(boot)}
</body>
</html>
`;
}
