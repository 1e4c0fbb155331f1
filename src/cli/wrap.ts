/*
 * Paragraphs wrapped to the terminal, as Python's textwrap.fill does with its
 * defaults: words are never split (a word longer than the width gets a line of
 * its own), runs of spaces collapse, and existing line breaks start new lines.
 * A line that starts with a space is preformatted (code, a table) and kept as it is.
 * The width is the terminal's (process.stdout.columns), 80 when stdout is not a
 * terminal (a pipe, a file, a test).
 */

export const DEFAULT_WIDTH = 80;

export function terminalWidth(): number {
  const columns = process.stdout.columns;
  return typeof columns === 'number' && columns > 0 ? columns : DEFAULT_WIDTH;
}

/** `text` with each of its lines filled to `width`; continuation lines start with `indent`. */
export function wrapText(text: string, width = terminalWidth(), indent = ''): string {
  return text
    .split('\n')
    .map((line) => fillLine(line, width, indent))
    .join('\n');
}

function fillLine(line: string, width: number, indent: string): string {
  if (line.startsWith(' ')) return line;
  const words = line.split(/\s+/).filter((word) => word !== '');
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    const prefix = lines.length === 0 ? '' : indent;
    if (current !== '' && prefix.length + current.length + 1 + word.length > width) {
      lines.push(prefix + current);
      current = word;
    } else {
      current = current === '' ? word : `${current} ${word}`;
    }
  }
  if (current !== '' || lines.length === 0) lines.push((lines.length === 0 ? '' : indent) + current);
  return lines.join('\n');
}
