"""multiprocessing.sharedctypes: the same Value, Array, RawValue and RawArray as multiprocessing's."""
from multiprocessing import Value, RawValue, Array, RawArray  # noqa: F401

__all__ = ['RawValue', 'RawArray', 'Value', 'Array']
