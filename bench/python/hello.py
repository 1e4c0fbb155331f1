"""The smallest script: what `memplay run` costs before any work (interpreter start-up)."""
print("hello")
