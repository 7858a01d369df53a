"""Hostile or damaged input in the window: one line in a message, the view as it was; long texts
shown cut in the detail pane with the whole a click away."""

from __future__ import annotations

import base64
import sqlite3
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication, QTextCursor, QTextOption
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from explorer.domain.filters import MAX_SEARCH_CHARS, FilterState
from explorer.domain.view import ViewState
from explorer.domain.view_token import encode
from explorer.qt.workspace import Workspace
from explorer.storage.importers import ImportOptions, import_file
from explorer.storage.library import Library
from explorer.storage.store import EventStore
from explorer.storage.userstore import ensure_user_store
from explorer.ui.main_window import MainWindow
from explorer.ui.views_menu import MAX_LISTED, MAX_NAME_SHOWN

IN_FORCE = "cn-2024-07-01-aerospace-controls-in-force"


def signed(raw: bytes) -> str:
    body = b"\x01" + zlib.compress(raw, 9)
    crc = zlib.crc32(body).to_bytes(4, "big")
    return "PTV1." + base64.urlsafe_b64encode(body + crc).decode("ascii").rstrip("=")


HOSTILE = {
    "zip bomb": (signed(b'{"q":"' + b"a" * 23_000_000 + b'"}'), "256 KB"),
    "deep nesting": (signed(b'{"c":' + b"[" * 50_000 + b"]" * 50_000 + b"}"), "nests deeper"),
    "huge number": (signed(b'{"w":[' + b"9" * 5000 + b",10]}"), "5,000 digits"),
    "window far away": (signed(b'{"w":[1e308,10]}'), "years the timeline can draw"),
    "tiny span": (signed(b'{"w":[738000,0.001]}'), "1 day to"),
    "NaN": (signed(b'{"w":[NaN,10]}'), "no number"),
    "year 9999": (signed(b'{"f":"9999"}'), "1900–2199"),
    "long search": (signed(b'{"q":"' + b"ab " * 2000 + b'"}'), "at most 1,000 characters"),
    "cut short": (encode(ViewState(lane_mode="agency"))[:-6], "damaged"),
}


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """(title, text) of every warning box, instead of showing it."""
    shown: list[tuple[str, str]] = []

    def warning(_parent: object, title: str, text: str, *_a: object) -> object:
        shown.append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warning))
    return shown


def settle(qtbot: QtBot, win: MainWindow) -> None:
    qtbot.waitUntil(lambda: not win.workspace.busy and not win.timeline.model.busy, timeout=10_000)


def shown_view(qtbot: QtBot, win: MainWindow) -> ViewState:
    """A view with something in each field, as a student would have it."""
    ws = win.workspace
    ws.set_filters(FilterState(kinds=("rule_in_force", "announcement")))
    settle(qtbot, win)
    assert ws.select_key(IN_FORCE)
    win.timeline.model.zoom(1.5, 200.0)
    settle(qtbot, win)
    return ws.view


# ---------------------------------------------------------------------- pasted tokens


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_pasted_token_is_one_line_and_changes_nothing(
    qtbot: QtBot,
    window: MainWindow,
    messages: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    case: str,
) -> None:
    token, words = HOSTILE[case]
    before = shown_view(qtbot, window)
    QGuiApplication.clipboard().setText(token)
    # the dialog is offered the clipboard (as far as a token can reach) and the student says OK
    offered: list[str] = []

    def get_text(*args: object, **kwargs: object) -> tuple[str, bool]:
        offered.append(str(kwargs.get("text", "")))
        return offered[-1], True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    window.filter_ui.views.paste_action.trigger()
    settle(qtbot, window)
    assert len(messages) == 1
    title, text = messages[0]
    assert title == "Paste view token" and words in text and "\n" not in text
    assert window.workspace.view == before
    window.grab()  # and the window still paints


def test_a_pasted_token_that_is_whole_still_opens(
    qtbot: QtBot,
    window: MainWindow,
    messages: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view = shown_view(qtbot, window)
    token = window.filter_ui.views.copy_token()
    window.workspace.clear()
    settle(qtbot, window)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (k["text"], True)))
    window.filter_ui.views.paste_action.trigger()
    qtbot.waitUntil(lambda: window.workspace.view.selection == IN_FORCE, timeout=5_000)
    settle(qtbot, window)
    assert window.workspace.view.filters == view.filters and messages == []
    assert token.startswith("PTV1.")


def test_a_view_too_large_for_a_token_says_so_when_copied(
    qtbot: QtBot, window: MainWindow, messages: list[tuple[str, str]]
) -> None:
    QGuiApplication.clipboard().setText("before")
    many = tuple(f"{i:04d}" + "q" * 480 for i in range(1_000))
    window.workspace.set_filters(FilterState(items=many, topics=many, countries=many))
    settle(qtbot, window)
    window.filter_ui.views.copy_action.trigger()
    assert messages and messages[0][0] == "Copy view token"
    assert "too large for a view token" in messages[0][1]
    assert QGuiApplication.clipboard().text() == "before"


# ---------------------------------------------------------------------- saved views


def damage(store: Path, rows: dict[str, object]) -> None:
    conn = sqlite3.connect(store)
    with conn:
        conn.executemany(
            "INSERT INTO views (name, token, created, updated) VALUES (?, ?, '', '')",
            list(rows.items()),
        )
    conn.close()


def open_action(window: MainWindow, name: str) -> object:
    views = window.filter_ui.views
    views.refresh()
    return next(a for a in views.open_menu.actions() if a.text() == name)


def test_views_open_on_damaged_and_hostile_saved_views_says_why(
    qtbot: QtBot, window: MainWindow, messages: list[tuple[str, str]]
) -> None:
    views = window.filter_ui.views
    rows: dict[str, object] = {name: token for name, (token, _w) in HOSTILE.items()}
    rows["not text"] = b"\x00\x01PTV1.binary"
    rows["a number"] = 12345
    rows["megabytes"] = "PTV1." + "A" * 1_000_000
    damage(views.store().path, rows)
    before = shown_view(qtbot, window)
    for name in rows:
        messages.clear()
        open_action(window, name).trigger()  # type: ignore[attr-defined]
        settle(qtbot, window)
        assert len(messages) == 1, name
        title, text = messages[0]
        assert title == "Open view" and f"saved view {name!r}" in text and "\n" not in text
        assert len(text) < 300
        assert window.workspace.view == before, name
    assert "not text (blob)" in messages_for(window, messages, "not text")
    assert "1,000,005 characters" in messages_for(window, messages, "megabytes")


def messages_for(window: MainWindow, messages: list[tuple[str, str]], name: str) -> str:
    messages.clear()
    open_action(window, name).trigger()  # type: ignore[attr-defined]
    return messages[0][1]


def test_a_damaged_views_table_is_a_message_too(
    qtbot: QtBot, window: MainWindow, messages: list[tuple[str, str]]
) -> None:
    views = window.filter_ui.views
    views.save_view("fine")
    conn = sqlite3.connect(views.store().path)
    with conn:
        conn.execute("ALTER TABLE views RENAME COLUMN token TO tok")
    conn.close()
    views.refresh()
    assert [a.text() for a in views.open_menu.actions()] == ["fine"]
    views.open_view("fine")
    assert len(messages) == 1 and "\n" not in messages[0][1]
    assert "the saved views cannot be read (no such column: token)" in messages[0][1]


def test_the_menus_list_a_bounded_number_of_views_with_long_names_cut(
    qtbot: QtBot, window: MainWindow, messages: list[tuple[str, str]]
) -> None:
    views = window.filter_ui.views
    token = encode(ViewState(lane_mode="agency"))
    long_name = "N" * 100_000
    rows: dict[str, object] = {f"view {i:04d}": token for i in range(MAX_LISTED + 50)}
    rows[long_name] = token
    damage(views.store().path, rows)
    views.refresh()
    texts = [a.text() for a in views.open_menu.actions()]
    assert len(texts) == MAX_LISTED + 1
    assert texts[-1] == "(51 more saved views not listed)"
    long_item = next(a for a in views.open_menu.actions() if a.text().startswith("NNN"))
    assert long_item.text() == "N" * MAX_NAME_SHOWN + "…"
    long_item.trigger()
    qtbot.waitUntil(lambda: window.workspace.lane_mode == "agency", timeout=5_000)
    assert messages == []


# ---------------------------------------------------------------------- the search box


def test_a_search_longer_than_the_limit_is_refused_in_the_status_bar(
    qtbot: QtBot, window: MainWindow
) -> None:
    ui = window.filter_ui
    ws = window.workspace
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(ui.search, "aero")
    qtbot.keyClick(ui.search, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert ws.filters.search == "aero"
    # a document pasted into the box by mistake
    QGuiApplication.clipboard().setText("pasted text " * 20_000)
    ui.search.selectAll()
    with qtbot.waitSignal(ui.search.refused, timeout=5_000) as refused:
        ui.search.paste()  # an edit: searched a moment later, as typing is
    message = refused.args[0]
    assert message.startswith("search: the text has 32,767 characters")
    assert f"at most {MAX_SEARCH_CHARS:,} characters" in message
    assert window.statusBar().currentMessage() == f"Not searched: {message}"
    assert ws.filters.search == "aero"  # the view kept its search
    settle(qtbot, window)
    ui.search.selectAll()
    qtbot.keyClicks(ui.search, "drone")
    qtbot.keyClick(ui.search, Qt.Key.Key_Return)
    assert ws.filters.search == "drone"
    assert window.statusBar().currentMessage() == "" and ui.search.message == ""


# ---------------------------------------------------------------------- the detail pane


@pytest.fixture
def long_window(qtbot: QtBot, mini_store: Path, tmp_path: Path) -> Iterator[tuple[MainWindow, str]]:
    """A window over the fixture store and an import naming one entity in 300,000 characters
    (no space in it: the worst case for line breaking)."""
    csv = tmp_path / "long.csv"
    name = "Ｘ" + "X" * 299_999
    csv.write_text(f'Date,Entity\n2024-05-01,"{name}"\n', encoding="utf-8")
    user = ensure_user_store(tmp_path / "user.sqlite")
    options = ImportOptions(format="csv", mapping={"start": "Date", "name": "Entity"})
    import_file(csv, user, options)
    lib = Library([EventStore(mini_store), EventStore(user)])
    ws = Workspace(lib, settings=QSettings())
    win = MainWindow(ws)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    settle(qtbot, win)
    yield win, name
    win.close()
    lib.close()


def test_a_name_of_300000_characters_is_shown_cut_and_whole_on_demand(
    qtbot: QtBot, long_window: tuple[MainWindow, str]
) -> None:
    win, name = long_window
    ws, pane = win.workspace, win.detail
    key = next(e.key for e in ws.events if e.key.startswith("imp-"))
    with qtbot.waitSignal(ws.eventLoaded, timeout=5_000):
        assert ws.select_key(key)
    text = pane.toPlainText()
    assert len(text) < 10_000 and "show all 300,000 characters" in text
    assert name[:100] in text
    # the link, clicked where the pane draws it
    doc = pane.document()
    at = doc.toPlainText().index("show all 300,000 characters") + 3
    cursor = QTextCursor(doc)
    cursor.setPosition(at)
    assert cursor.charFormat().anchorHref().startswith("more:")
    pane.ensureCursorVisible()
    pane.setTextCursor(cursor)
    pane.ensureCursorVisible()
    spot = pane.cursorRect(cursor).center()
    with qtbot.waitSignal(pane.anchorClicked, timeout=2_000):
        qtbot.mouseClick(pane.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    dialog = pane.full_text_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.objectName() == "fullTextDialog"
    assert dialog.text_view.objectName() == "fullText"
    assert dialog.windowTitle() == "Item — 300,000 characters"
    assert dialog.text_view.toPlainText() == name
    # an unbroken run is broken anywhere: no search for a word boundary 300,000 characters long
    assert dialog.text_view.wordWrapMode() == QTextOption.WrapMode.WrapAnywhere
    dialog.grab()
    dialog.close()
    # the selection and the view did not move
    assert ws.view.selection == key
