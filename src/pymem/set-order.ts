/*
 * The order CPython 3.11 iterates a set in (Objects/setobject.c): the order of
 * its hash table's slots. The model keeps a set's members in insertion order
 * (set.ts), which gives its sizes; this places them as CPython's table would,
 * when every member's hash is known (hash.ts), and leaves them in insertion
 * order otherwise (a str's or None's place changes from run to run in CPython).
 *
 * Algorithm: replay the members' insertions into an empty table of 8 slots as
 * set_add_entry does them (probe the slot hash & mask and the 9 after it when
 * they fit, then jump: perturb >>= 5, i = i * 5 + 1 + perturb), resizing as
 * set_table_resize does when fill * 5 >= mask * 3 (to the smallest power of two
 * above used * 4, or used * 2 past 50000, the old table's entries re-placed in
 * slot order by set_insert_clean). If the model's table ended another size (a
 * set built by set_merge or after removals), the members are re-placed, in that
 * replay's order, into a table of the model's size, as a resize would. Exact for
 * a set built by adding (literals, comprehensions, set(iterable)), close for the
 * rest.
 */
const MIN_SIZE = 8;
const LINEAR_PROBES = 9;
const PERTURB_SHIFT = 5n;

interface Table {
  readonly slots: (number | undefined)[];
  readonly mask: bigint;
}

/** `members` (insertion order) in the order of CPython's table of `finalSize` slots, given each one's hash. */
export function tableOrder(members: readonly number[], hashes: readonly bigint[], finalSize: number): number[] {
  const hashOf = new Map(members.map((member, index) => [member, hashes[index]]));
  let table = emptyTable(MIN_SIZE);
  let used = 0;
  for (const member of members) {
    place(table, member, hashOf.get(member)!);
    used++;
    if (used * 5 >= (table.slots.length - 1) * 3) table = resized(table, tableSizeFor(used > 50000 ? used * 2 : used * 4), hashOf);
  }
  if (table.slots.length !== finalSize) table = resized(table, finalSize, hashOf);
  return table.slots.filter((slot): slot is number => slot !== undefined);
}

function emptyTable(size: number): Table {
  return { slots: new Array<number | undefined>(size).fill(undefined), mask: BigInt(size - 1) };
}

/** set_table_resize's size: the smallest power of two, from 8, above `minUsed`. */
function tableSizeFor(minUsed: number): number {
  let size = MIN_SIZE;
  while (size <= minUsed) size *= 2;
  return size;
}

/** The members of `old` re-placed, in its slot order, into a new table of `size` slots (set_insert_clean). */
function resized(old: Table, size: number, hashOf: ReadonlyMap<number, bigint>): Table {
  const table = emptyTable(size);
  for (const member of old.slots) if (member !== undefined) place(table, member, hashOf.get(member)!);
  return table;
}

/** Puts `member` in the first free slot its hash probes (set_insert_clean; no slot is a dummy in a replay). */
function place(table: Table, member: number, hash: bigint): void {
  const { slots, mask } = table;
  let perturb = hash;
  let i = hash & mask;
  for (;;) {
    const probes = i + BigInt(LINEAR_PROBES) <= mask ? LINEAR_PROBES : 0;
    for (let j = 0; j <= probes; j++) {
      const at = Number(i) + j;
      if (slots[at] === undefined) {
        slots[at] = member;
        return;
      }
    }
    perturb >>= PERTURB_SHIFT;
    i = (i * 5n + 1n + perturb) & mask;
  }
}
