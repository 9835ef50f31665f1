"""Entries: reading, checking and the model every other layer uses."""
