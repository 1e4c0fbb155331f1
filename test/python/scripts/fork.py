"""os.fork(), which one Pyodide interpreter cannot do: refused in one line (test/python/run-script.test.ts)."""
import os

if __name__ == "__main__":
    os.fork()
