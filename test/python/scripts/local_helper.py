"""A module next to imports-local.py: python3 puts the script's folder first on sys.path."""


def add_one(value):
    with value.get_lock():
        value.value += 1
