"""multiprocessing.sharedctypes' copy() of raw objects, Value's one initial value,
and synchronized() refused by name (argument: 'synchronized'). Its output is
python3's (test/python/script-behaviour.test.ts)."""
import sys
import multiprocessing
from multiprocessing import sharedctypes

if __name__ == '__main__':
    if sys.argv[1:] == ['synchronized']:
        sharedctypes.synchronized(multiprocessing.RawValue('i', 1))
    try:
        multiprocessing.Value('i', 1, 2)
    except TypeError as error:
        print('TypeError', error)
    print(list(sharedctypes.copy(multiprocessing.RawArray('i', [1, 2]))))
    print(sharedctypes.copy(multiprocessing.RawValue('d', 2.5)).value)
    print(sharedctypes.copy(multiprocessing.RawArray('c', b'hi')).value)
    try:
        sharedctypes.copy(multiprocessing.Value('i', 4))
    except TypeError as error:
        print('TypeError', error)
