"""Benchmarks: ours vs the official WorkOS SDK (``python benchmarks/run.py``)."""
