/*
 * Reading the kernel's memory as the controller sees it: one C-typed cell at a
 * byte offset (a Value, an array element, a SharedWords word), by the char code
 * of its ctypes typecode, little-endian as the typed arrays on x86 and ARM are.
 * The controller reads only while every worker is parked, so a plain read is exact.
 * A negative type is a byte range of that many bytes (an mmap's mapping), read as
 * a 32-bit FNV-1a hash of its bytes: enough to see whether it changed.
 */
const views = new WeakMap<SharedArrayBuffer, DataView>();

/** The cell of type `type` (a typecode's char code) at byte `location`, as a number. */
export function readCell(buffer: SharedArrayBuffer, location: number, type: number): number {
  let view = views.get(buffer);
  if (view === undefined || view.byteLength < location + 8) {
    // A growable buffer's DataView made without a length follows its growth.
    view = new DataView(buffer);
    views.set(buffer, view);
  }
  if (type < 0) return rangeHash(new Uint8Array(buffer, location, -type));
  switch (String.fromCharCode(type)) {
    case 'b': return view.getInt8(location);
    case 'B': return view.getUint8(location);
    case 'h': return view.getInt16(location, true);
    case 'H': return view.getUint16(location, true);
    case 'I': return view.getUint32(location, true);
    case 'l': case 'q': return Number(view.getBigInt64(location, true));
    case 'L': case 'Q': return Number(view.getBigUint64(location, true));
    case 'f': return view.getFloat32(location, true);
    case 'd': return view.getFloat64(location, true);
    default: return view.getInt32(location, true);
  }
}

/** Whether the typecode's char code is a floating-point type (its values print with a decimal point). */
export function isFloatType(type: number): boolean {
  return type === 0x66 || type === 0x64;
}

function rangeHash(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
  return hash >>> 0;
}
