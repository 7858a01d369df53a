"""Errors caused by the user's files or environment, as opposed to bugs in our code.

A StoreError is shown to the user as one line; anything else is a bug and keeps its traceback
(qutebrowser's sql.py draws the same line).
"""

from __future__ import annotations


class StoreError(Exception):
    """A store or input file that cannot be used; the message names the file and the problem."""


class SchemaVersionError(StoreError):
    """A store written by a newer version of the program."""
