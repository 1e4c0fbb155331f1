"""Creates a named block and never unlinks it: the run's end unlinks it (as resource_tracker would), so the next run can create it again."""
from multiprocessing.shared_memory import SharedMemory

block = SharedMemory(name='memplay_leaked_block', create=True, size=4)
block.close()
print('created')
