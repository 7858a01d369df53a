"""Benchmarks: scripts that print their figures as a JSON last line (not timed tests)."""
