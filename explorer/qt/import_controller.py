"""Imports from the app: the file is read and written in a worker thread, the window stays
responsive, and a cancel rolls the whole import back.

The worker calls `explorer.storage.importers.import_file`, which opens its own SQLite connection
in that thread (connections are not shared across threads) and writes the user store in one
transaction. When the import is done the workspace reloads its library, so the new events
appear at once in every view: their own lanes, the facets, the search, the counts, the list.

Signals:
    started(str): the file's path, when the import begins.
    progress(int, float): rows read so far and the fraction of the file read.
    finished(object): the ImportResult (also when the file had errors and nothing was written).
    failed(str): the file could not be imported at all, in one line.
    cancelled(): the user cancelled; nothing was written.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from explorer.storage.errors import StoreError
from explorer.storage.importers import (
    ImportCancelled,
    ImportOptions,
    ImportResult,
    import_file,
)

log = logging.getLogger(__name__)


class _Worker(QObject):
    """Runs one import in its thread."""

    progress = Signal(int, float)
    done = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, path: Path, into: Path | None, options: ImportOptions) -> None:
        super().__init__()
        self.path = path
        self.into = into
        self.options = options
        self.stop = threading.Event()

    def _progress(self, rows: int, fraction: float) -> None:
        if self.stop.is_set():
            raise ImportCancelled
        self.progress.emit(rows, fraction)

    @Slot()
    def run(self) -> None:
        try:
            result = import_file(self.path, self.into, self.options, self._progress)
        except ImportCancelled:
            self.cancelled.emit()
        except StoreError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a bug: keep the traceback in the log, tell the user
            log.exception("import of %s failed", self.path)
            self.failed.emit(f"{self.path}: the import failed ({type(exc).__name__}: {exc})")
        else:
            self.done.emit(result)


class ImportController(QObject):
    """Starts and cancels imports, and reloads the workspace's library after one.

    Args:
        workspace: The workspace to reload after an import (None: nothing to reload).
        into: The store to write; the user store by default.
        parent: The Qt parent.
    """

    started = Signal(str)
    progress = Signal(int, float)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(
        self, workspace: Any = None, into: Path | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.into = into
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self.last_result: ImportResult | None = None

    def is_running(self) -> bool:
        return self._thread is not None

    def start(self, path: Path, options: ImportOptions) -> None:
        """Import `path` in a worker thread.

        Raises:
            RuntimeError: an import is already running.
        """
        if self._thread is not None:
            raise RuntimeError("an import is already running")
        thread = QThread(self)
        worker = _Worker(Path(path), self.into, options)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progress.connect(self.progress)
        worker.done.connect(self._on_done)
        worker.failed.connect(self._on_failed)
        worker.cancelled.connect(self._on_cancelled)
        self._thread, self._worker = thread, worker
        self.started.emit(str(path))
        thread.start()

    def cancel(self) -> None:
        """Stop the running import; its transaction is rolled back."""
        if self._worker is not None:
            self._worker.stop.set()

    def wait(self, ms: int = 30000) -> bool:
        """Block until the worker thread ends (for shutdown and tests)."""
        return self._thread.wait(ms) if self._thread is not None else True

    def shutdown(self) -> None:
        """Cancel and wait: call before the window closes."""
        self.cancel()
        self.wait()
        self._finish_thread()

    # ----------------------------------------------------------------- results

    def _finish_thread(self) -> None:
        thread, worker = self._thread, self._worker
        self._thread = self._worker = None
        if thread is not None:
            thread.quit()
            thread.wait()
            thread.deleteLater()
        if worker is not None:
            worker.deleteLater()

    def _on_done(self, result: ImportResult) -> None:
        self._finish_thread()
        self.last_result = result
        if result.committed:
            self._reload()
        self.finished.emit(result)

    def _on_failed(self, message: str) -> None:
        self._finish_thread()
        self.failed.emit(message)

    def _on_cancelled(self) -> None:
        self._finish_thread()
        self.cancelled.emit()

    def _reload(self) -> None:
        if self.workspace is not None:
            self.workspace.reload_library()
