"""Painting shared by the window and the exports (QtGui only): the timeline painter, the one
palette, picture pages and their layout."""
