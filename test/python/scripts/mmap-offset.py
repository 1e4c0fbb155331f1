import mmap

with open(__file__, 'rb') as f:
    mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ, offset=mmap.ALLOCATIONGRANULARITY)
