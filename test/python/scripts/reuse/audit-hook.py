"""Adds an audit hook, which no reset can remove: the interpreter is not kept for the next run."""
import sys

sys.addaudithook(lambda event, args: None)
print("hooked")
