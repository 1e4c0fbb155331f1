/*
 * Plain-text tables, the one table layout of every report (memplay run, stress and
 * gil, the bench scripts): each column padded to its widest cell, two spaces
 * between columns, text columns left-aligned and figures right-aligned, an
 * optional rule of dashes under the header, no trailing spaces.
 */
export interface TableLayout {
  /** The columns padded on the right (text); every other column is padded on the left (figures). Default: the first. */
  readonly left?: readonly number[];
  /** A rule of dashes under the header (default: true). */
  readonly rule?: boolean;
}

/** The table's lines: header, rule (unless `rule: false`), rows. */
export function tableLines(header: readonly string[], rows: readonly (readonly string[])[], layout: TableLayout = {}): string[] {
  const left = new Set(layout.left ?? [0]);
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]) =>
    row.map((cell, column) => (left.has(column) ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd();
  const rule = layout.rule === false ? [] : [widths.map((width) => '-'.repeat(width)).join('  ')];
  return [line(header), ...rule, ...rows.map(line)];
}

/** The table as one string. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[], layout: TableLayout = {}): string {
  return tableLines(header, rows, layout).join('\n');
}
