/*
 * The kinds of key `sim dict-growth` and `sim set-growth` insert, in a leaf module
 * so that the command line can offer them without loading the memory model:
 *   int (i), str ('k<i>'), float (i + 0.5), tuple ((i,)).
 */
export type GrowthKey = 'int' | 'str' | 'float' | 'tuple';
export const GROWTH_KEYS: readonly GrowthKey[] = ['int', 'str', 'float', 'tuple'];
