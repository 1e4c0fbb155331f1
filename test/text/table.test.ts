import { describe, expect, it } from 'vitest';
import { tableLines, textTable } from '../../src/text/table.js';

describe('textTable', () => {
  it('pads each column to its widest cell, text left and figures right, with a rule and no trailing spaces', () => {
    expect(textTable(['name', 'ops', 'note'], [['lock', '12', ''], ['barrier', '3', 'x']], { left: [0, 2] })).toBe(
      ['name     ops  note', '-------  ---  ----', 'lock      12', 'barrier    3  x'].join('\n'),
    );
  });

  it('leaves the rule out when asked, and by default only the first column is text', () => {
    expect(tableLines(['a', 'bb'], [['xyz', '1']], { rule: false })).toEqual(['a    bb', 'xyz   1']);
  });
});
