/*
 * The browser globals the drawing code uses, declared loosely: tsconfig has no
 * DOM library (the rest of memplay runs in Node), and d3 and Plot are the
 * inlined UMD builds' globals. Imported for types only; it emits nothing used.
 */
export type Element = any;
declare global {
  const document: any;
  const d3: any;
  const Plot: any;
}
