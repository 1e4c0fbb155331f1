import { describe, expect, it } from 'vitest';
import { wrapText } from '../../src/cli/wrap.js';

describe('wrapText', () => {
  it('fills each paragraph to the width without splitting words', () => {
    const text = 'one two three four five six seven eight nine ten';
    expect(wrapText(text, 14)).toBe('one two three\nfour five six\nseven eight\nnine ten');
  });

  it('keeps line breaks, keeps indented (code) lines as they are, and gives a long word a line of its own', () => {
    expect(wrapText('Python:\n    counter.value += 1   # read, add, write\nend', 10)).toBe('Python:\n    counter.value += 1   # read, add, write\nend');
    expect(wrapText('a extraordinarily b', 5)).toBe('a\nextraordinarily\nb');
  });

  it('indents continuation lines when asked', () => {
    expect(wrapText('alpha beta gamma', 11, '  ')).toBe('alpha beta\n  gamma');
  });
});
