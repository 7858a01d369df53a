"""Background work for the Qt layer: a function run in a QThreadPool, its result sent back.

The relay lives in the GUI thread; a job emits on it from its worker thread and Qt queues the
call into the GUI thread. Every result carries the generation it was asked for, so the owner can
drop answers that a newer request has made stale.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Signal

log = logging.getLogger(__name__)


class Relay(QObject):
    """Carries results to the GUI thread: (what, generation, result or the exception raised)."""

    done = Signal(str, int, object)


class Job(QRunnable):
    """Runs `fn` in a worker thread and emits its result (or its exception) on `relay`.

    Args:
        relay: Where the result goes.
        what: What the job computes, for the receiver and for the log.
        gen: The generation of the request.
        fn: The work; it must not touch Qt objects of the GUI thread.
    """

    def __init__(self, relay: Relay, what: str, gen: int, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._relay, self._what, self._gen, self._fn = relay, what, gen, fn

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # a failed read must not take the app down; report it
            log.exception("background %s failed", self._what)
            result = exc
        self._relay.done.emit(self._what, self._gen, result)
