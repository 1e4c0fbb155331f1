"""A small deterministic script for --outcome and --compare-cpython: one process,
an answer in the middle of its output and a last line after it."""
import sys

if __name__ == '__main__':
    answer = sys.argv[1] if len(sys.argv) > 1 else '42'
    print("starting")
    print(f"answer={answer} (from the script)")
    print("done")
