"""Exports: pictures of the timeline and tables of the events, each carrying its sources."""
