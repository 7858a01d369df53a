"""Policy Timeline Explorer: the US-China export-control contest as an interactive timeline."""

__version__ = "0.1.0"
