"""A helper module next to leaves-state.py: its module-level count says whether it was imported before in this interpreter."""
imports = 0
