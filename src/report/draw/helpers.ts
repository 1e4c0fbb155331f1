/*
 * The small DOM toolkit every report page shares, run in the browser: elements,
 * sections, tables, code blocks, and jcstress's classification colours. One
 * function returns them all, so they can call one another once serialized
 * (page.ts inlines `pageHelpers.toString()`); it uses only browser globals.
 */
import type { Element } from './globals.js';

export function pageHelpers() {
  type Child = Element | string | number | null | undefined;
  /** jcstress's colours: ACCEPTABLE green, INTERESTING amber, FORBIDDEN red. */
  const CLASS_COLORS: Record<string, string> = { ACCEPTABLE: '#3c9d3c', INTERESTING: '#e0a21b', FORBIDDEN: '#d23c3c', OBSERVED: '#4c78a8' };
  function el(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): Element {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
    for (const child of children) if (child !== null && child !== undefined) node.append(typeof child === 'object' ? child : String(child));
    return node;
  }
  function section(root: Element, title: string, note = ''): Element {
    const box = el('section', {}, el('h2', {}, title), note === '' ? null : el('p', { class: 'note' }, note));
    root.append(box);
    return box;
  }
  function table(headers: string[], rows: Child[][], attrs: Record<string, string> = {}): Element {
    return el('table', attrs, el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', {}, h)))), el('tbody', {}, ...rows.map((row) => el('tr', {}, ...row.map((cell) => el('td', {}, cell))))));
  }
  function code(text: string): Element {
    return el('pre', { class: 'code' }, el('code', {}, text));
  }
  function classBadge(classification: string): Element {
    return el('span', { class: 'badge', style: `background:${CLASS_COLORS[classification] ?? '#888'}` }, classification);
  }
  function figure(chart: Element, caption: string): Element {
    return el('figure', {}, chart, el('figcaption', {}, caption));
  }
  function fixed(value: number | null | undefined, digits = 0): string {
    return value === null || value === undefined ? 'n/a' : value.toFixed(digits);
  }
  function svg(tag: string, attrs: Record<string, string | number> = {}): Element {
    const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
    return node;
  }
  return { CLASS_COLORS, el, section, table, code, classBadge, figure, fixed, svg };
}

export type Helpers = ReturnType<typeof pageHelpers>;
