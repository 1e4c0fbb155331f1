from multiprocessing.shared_memory import ShareableList

ShareableList([1, 2, 3])
