"""Storage: the only layer that opens SQLite."""
