import multiprocessing as mp

print(hasattr(mp, "nope"), getattr(mp, "Foo", 1), mp.get_all_start_methods())
