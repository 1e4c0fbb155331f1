"""multiprocessing.sharedctypes: the same Value, Array, RawValue and RawArray as multiprocessing's, and copy();
synchronized() is refused by name (make the object with Value or Array, which come synchronized)."""
from multiprocessing import Value, RawValue, Array, RawArray, _Array, _unsupported  # noqa: F401

__all__ = ['RawValue', 'RawArray', 'Value', 'Array', 'copy', 'synchronized']


def copy(obj):
    """A new raw object holding what the raw `obj` holds, as CPython's copy (a synchronized one has no size there)."""
    if not getattr(obj, '_raw', False):
        raise TypeError("this type has no size")
    if isinstance(obj, _Array):
        return RawArray(obj._code, obj[:])
    return RawValue(obj._code, obj.value)


def synchronized(obj, lock=None, ctx=None):
    raise _unsupported("multiprocessing.sharedctypes.synchronized (Value and Array make synchronized objects)", ', '.join(name for name in __all__ if name != 'synchronized'))
