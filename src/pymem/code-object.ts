/*
 * Constants as objects: the constants of one compilation (co_consts), and the
 * objects a run-time computation makes for its results.
 *
 * CPython 3.11's compiler merges equal constants across everything one compile()
 * call makes, the module and the functions and comprehensions inside it
 * (merge_consts_recursive with the compiler's c_const_cache, keyed by
 * _PyCode_ConstantKey): `a = 257; b = 257` in one module binds one object, and so
 * does `[1000, 1000]`, while two compilations (two statements typed at the
 * interactive prompt, two modules) make two. Items of constant tuples are merged
 * the same way, and constant strs made only of identifier characters are interned.
 * A value computed at run time (int('257'), 2 ** 200, which the optimizer does not
 * fold) is a new object each time, as `objectOf` makes it.
 *
 * Algorithm: a Map from the constant's key to its object, holding one reference
 * each, released when the code object is (after the values built from it took
 * their own references).
 */
import { constantKey, type Constant } from './constant.js';
import { intern } from './interning.js';
import { newTuple } from './list.js';
import { H_ELLIPSIS, H_NONE, type HeapMemory } from './memory.js';
import { newBool, newComplex, newFloat, newInt } from './numbers.js';
import { decref, incref } from './refcount.js';
import { staticRef } from './statics.js';
import { isNameLike, newBytes, newStrOfPoints } from './unicode.js';

/** A new reference to a new object of this value (a tuple's items made by `itemOf`). */
export function objectOf(m: HeapMemory, value: Constant, itemOf: (item: Constant) => number = (item) => objectOf(m, item)): number {
  switch (value.kind) {
    case 'none':
      return staticRef(m, m.header[H_NONE]);
    case 'ellipsis':
      return staticRef(m, m.header[H_ELLIPSIS]);
    case 'bool':
      return newBool(m, value.value);
    case 'int':
      return newInt(m, value.value);
    case 'float':
      return newFloat(m, value.value);
    case 'complex':
      return newComplex(m, value.real, value.imag);
    case 'str':
      return newStrOfPoints(m, value.points);
    case 'bytes':
      return newBytes(m, value.value);
    case 'tuple':
      return newTuple(m, value.items.map(itemOf));
  }
}

/** The constants of one compilation: equal constants are one object. */
export class CodeConstants {
  private readonly objects = new Map<string, number>();

  constructor(private readonly m: HeapMemory) {}

  /** A new reference to the constant equal to `value` (LOAD_CONST). */
  load(value: Constant): number {
    const key = constantKey(value);
    let id = this.objects.get(key);
    if (id === undefined) {
      id = this.make(value);
      this.objects.set(key, id);
    }
    incref(this.m, id);
    return id;
  }

  private make(value: Constant): number {
    const id = objectOf(this.m, value, (item) => this.load(item));
    if (value.kind === 'str' && isNameLike(value.points)) return intern(this.m, id, (dropped) => decref(this.m, dropped));
    return id;
  }

  /** Drops the code object's references (its constants live on in what holds them). */
  release(): void {
    for (const id of this.objects.values()) decref(this.m, id);
    this.objects.clear();
  }
}
