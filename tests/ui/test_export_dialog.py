"""File → Export… and Copy citation in the window: the dialog's remembered choices, a real
export of the view, a failed export that explains itself, and the citation on the clipboard."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QImage, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QToolBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from explorer.ui.export_actions import selected_quote
from explorer.ui.export_dialog import ExportDialog
from explorer.ui.main_window import MainWindow
from tests.export.sample_events import SRC_EN, SRC_JA, sample_events

ANNOUNCED = "cn-2024-05-30-aerospace-controls-announced"


def _accepted(dialog: ExportDialog, fmt: str, path: Path) -> ExportDialog:
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(fmt))
    dialog.path_edit.setText(str(path))
    dialog.setResult(QDialog.DialogCode.Accepted)
    return dialog


def test_the_dialog_remembers_the_last_folder_and_format(qtbot: QtBot, tmp_path: Path) -> None:
    first = ExportDialog()
    qtbot.addWidget(first)
    _accepted(first, "pdf", tmp_path / "fig.pdf")
    first.remember()
    again = ExportDialog()
    qtbot.addWidget(again)
    assert again.fmt == "pdf"
    assert Path(again.path_edit.text()).parent == tmp_path
    assert again.path_edit.text().endswith(".pdf")


def test_the_file_name_and_the_options_follow_the_format(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = ExportDialog(lane_mode="agency")
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(tmp_path / "fig.png"))
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("csv"))
    assert dialog.path_edit.text() == str(tmp_path / "fig.csv")
    assert not dialog.scale_box.isEnabled() and not dialog.page_box.isEnabled()
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("pdf"))
    assert dialog.page_box.isEnabled() and not dialog.scale_box.isEnabled()
    req = dialog.request()
    assert (req.fmt, req.lanes, req.path.suffix) == ("pdf", "agency", ".pdf")


def test_every_label_with_a_mnemonic_has_a_buddy(qtbot: QtBot) -> None:
    # A label without a buddy shows its "&" literally ("&File:") and its key does nothing.
    dialog = ExportDialog()
    qtbot.addWidget(dialog)
    labels = {lab.text(): lab for lab in dialog.findChildren(QLabel) if "&" in lab.text()}
    assert {"&Format:", "F&ile:", "&Size:", "&Page:"} <= set(labels)
    assert all(lab.buddy() is not None for lab in labels.values()), [
        t for t, lab in labels.items() if lab.buddy() is None
    ]
    assert labels["F&ile:"].buddy() is dialog.path_edit
    assert labels["&Size:"].buddy() is dialog.width_box


def test_export_is_on_ctrl_e_in_the_file_menu_and_the_toolbar(window: MainWindow) -> None:
    action = window.action_registry.action("file.export")
    assert action.shortcut() == QKeySequence("Ctrl+E")
    assert action in window.menus["File"].actions()
    assert any(action in bar.actions() for bar in window.findChildren(QToolBar))


def test_exporting_the_view_writes_a_picture_of_it(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window.workspace.select_key(ANNOUNCED)
    dialog = _accepted(window.export_actions.make_dialog(), "png", tmp_path / "view.png")
    qtbot.addWidget(dialog)
    message = window.export_actions.export(dialog)
    assert message.startswith("Exported a PNG picture of the view to ")
    image = QImage(str(tmp_path / "view.png"))
    assert (image.width(), image.height()) == (1600, 900)
    assert window.statusBar().currentMessage() == message


def test_exporting_a_pdf_of_the_view_carries_the_sources(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    dialog = _accepted(window.export_actions.make_dialog(), "pdf", tmp_path / "view.pdf")
    qtbot.addWidget(dialog)
    window.export_actions.export(dialog)
    text = " ".join(pypdf.PdfReader(tmp_path / "view.pdf").pages[0].extract_text().split())
    assert "Cited by the events shown" in text
    assert "South China Morning Post" in text


def test_exporting_the_events_as_csv(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    dialog = _accepted(window.export_actions.make_dialog(), "csv", tmp_path / "events.csv")
    qtbot.addWidget(dialog)
    assert window.export_actions.export(dialog).startswith("Exported 6 events as CSV")
    assert (tmp_path / "events.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_a_failed_export_says_why_and_leaves_nothing(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    target = tmp_path / "missing" / "view.svg"
    dialog = _accepted(window.export_actions.make_dialog(), "svg", target)
    qtbot.addWidget(dialog)
    message = window.export_actions.export(dialog)
    assert message.startswith("Export failed: ") and "does not exist" in message
    assert shown and "\n" not in shown[0]
    assert not (tmp_path / "missing").exists()


def test_copy_citation_without_a_quote_selected_cites_the_events_best_source(
    window: MainWindow,
) -> None:
    # The fixture's announcement quotes the SCMP translation (no link) and is dated by the
    # Reuters report of the day: with no quote selected, the wire report is cited.
    window.workspace.select_key(ANNOUNCED)
    assert window.detail.textCursor().position() == 0  # on the title, in no quote
    text = window.export_actions.copy_citation()
    assert text.startswith("Reuters. (2024, May 30). China to place export controls")
    assert QGuiApplication.clipboard().text() == text
    assert window.statusBar().currentMessage() == f"Copied the event's best source: {text}"


def test_copy_citation_cites_the_quote_clicked_in_the_detail_pane(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.workspace.select_key(ANNOUNCED)
    detail = window.detail
    at = detail.toPlainText().index("this action mainly targets")
    cursor = detail.textCursor()
    cursor.setPosition(at + 5)
    point = detail.cursorRect(cursor).center()
    qtbot.mouseClick(detail.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert abs(detail.textCursor().position() - (at + 5)) <= 2
    text = window.export_actions.copy_citation()
    assert text.startswith("South China Morning Post. (2024). China restricts exports")
    assert window.statusBar().currentMessage().startswith("Copied the selected quote's source")
    # a selection that reaches into a quote selects it too
    cursor.setPosition(0)
    cursor.setPosition(at + 3, QTextCursor.MoveMode.KeepAnchor)
    detail.setTextCursor(cursor)
    assert window.export_actions.copy_citation() == text


def test_copy_citation_without_a_selection_copies_nothing(window: MainWindow) -> None:
    window.workspace.select(-1)
    assert window.export_actions.copy_citation() == ""
    assert window.statusBar().currentMessage().startswith("Nothing to cite")


@pytest.fixture
def curated_window(qtbot: QtBot, curated_store: Path) -> Iterator[MainWindow]:
    from PySide6.QtCore import QSettings

    from explorer.qt.workspace import Workspace
    from explorer.storage.library import Library
    from explorer.storage.store import EventStore

    lib = Library([EventStore(curated_store)])
    workspace = Workspace(lib, settings=QSettings())
    win = MainWindow(workspace)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    workspace.shutdown()
    lib.close()


def test_copy_citation_of_the_aerospace_rules_cites_xinhua_not_a_blogger_page(
    curated_window: MainWindow,
) -> None:
    """The curated announcement's first quote is a translation on a personal Blogger page;
    with no quote selected the citation is Xinhua's report of the day."""
    curated_window.workspace.select_key("cn-2024-05-30-aerospace-controls-announced")
    text = curated_window.export_actions.copy_citation()
    assert text.startswith("Xinhua News Agency. (2024, May 30). China to impose export controls")
    assert "blogspot" not in text
    # the US rule cites the Federal Register, the issuing government's own record
    curated_window.workspace.select_key("us-2024-12-02-bis-semiconductor-rules-entity-list")
    assert curated_window.export_actions.copy_citation().startswith("Federal Register.")


def test_the_selected_quote_is_the_one_the_cursor_or_selection_is_in() -> None:
    event = sample_events()[0]
    two = event.__class__(
        **{**event.__dict__, "quotes": (*event.quotes, *sample_events()[2].quotes)}
    )
    plain = (
        "Title\nSummary\nQuotes\n“These restrictions are set to take effect from July 1.”\n"
        "— the article itself\nReuters, “China to place…”\n"
        '“輸出管理リスト, "draft" second line”\n— ファン・グオビン\nHong Kong 01\nTopic: x'
    )
    assert selected_quote(two, plain, 0) is None  # on the title: no quote
    assert selected_quote(two, plain, plain.index("July")).source == SRC_EN
    assert selected_quote(two, plain, plain.index("the article")).source == SRC_EN
    # the quote's line break reads as a space in the pane
    assert selected_quote(two, plain, plain.index("輸出") + 2).source == SRC_JA
    assert selected_quote(two, plain, plain.index("Hong Kong")).source == SRC_JA
    assert selected_quote(two, plain, plain.index("Topic")) is None
    # a selection from the title into the second quote
    assert selected_quote(two, plain, 0, plain.index("輸出")).source == SRC_EN
    assert selected_quote(two, plain, plain.index("Hong"), plain.index("Topic")).source == SRC_JA


def test_the_export_follows_the_filter_panel(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    from explorer.domain.filters import FilterState

    window.workspace.set_filters(FilterState(kinds=("proposal",)))
    assert window.workspace.view.filters.kinds == ("proposal",)
    dialog = _accepted(window.export_actions.make_dialog(), "csv", tmp_path / "proposals.csv")
    qtbot.addWidget(dialog)
    assert window.export_actions.export(dialog).startswith("Exported 1 event as CSV")


@pytest.mark.parametrize("fmt", ["json", "csv", "md", "svg", "pdf"])
def test_file_export_and_the_command_line_write_the_same_bytes(
    qtbot: QtBot, mini_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """The window's view, saved by name, exported again by `explorer export --view`: one view,
    one export path, the same file (with SOURCE_DATE_EPOCH fixing the date)."""
    import uuid

    from PySide6.QtCore import QSettings

    from explorer.cli import main
    from explorer.domain.filters import FilterState
    from explorer.qt.workspace import Workspace
    from explorer.storage.library import open_library

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    library, _ = open_library(mini_store)  # as `explorer --db`: the store and the user store
    workspace = Workspace(library, settings=QSettings())
    win = MainWindow(workspace)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    workspace.set_filters(FilterState(countries=("CN",)))
    win.timeline.model.zoom(1.5, 200.0)
    workspace.select_key(ANNOUNCED)
    qtbot.waitUntil(lambda: not workspace.busy and not win.timeline.model.busy, timeout=10_000)
    name = f"same bytes {uuid.uuid4().hex[:6]}"
    win.filter_ui.views.save_view(name)
    app_file = tmp_path / f"app.{fmt}"
    dialog = _accepted(win.export_actions.make_dialog(), fmt, app_file)
    qtbot.addWidget(dialog)
    assert win.export_actions.export(dialog).startswith("Exported")
    cli_file = tmp_path / f"cli.{fmt}"
    argv = ["export", "--db", str(mini_store), "--view", name, "-o", str(cli_file)]
    if fmt == "pdf":
        argv += ["--page", "a4"]
    assert main(argv) == 0
    assert app_file.read_bytes() == cli_file.read_bytes()
    win.close()
    library.close()


# --------------------------------------------------------------------------- the folder


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder of this test's own, with no Documents or Pictures yet (QStandardPaths
    reads $HOME and the XDG user-dirs file each time it is asked)."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder / ".config"))
    return folder


def _proposed(qtbot: QtBot) -> Path:
    dialog = ExportDialog()
    qtbot.addWidget(dialog)
    return Path(dialog.path_edit.text())


def test_the_proposed_folder_exists_documents_then_pictures_then_home(
    qtbot: QtBot, home: Path
) -> None:
    # A fresh account with no ~/Documents: the file goes home, not into a missing folder.
    assert _proposed(qtbot) == home / "timeline.png"
    (home / "Pictures").mkdir()
    assert _proposed(qtbot) == home / "Pictures" / "timeline.png"
    (home / "Documents").mkdir()
    assert _proposed(qtbot) == home / "Documents" / "timeline.png"
    (home / "Documents").rmdir()
    assert _proposed(qtbot).parent == home / "Pictures"


def test_the_remembered_folder_is_used_while_it_exists(qtbot: QtBot, home: Path) -> None:
    kept = home / "essay"
    kept.mkdir()
    first = ExportDialog()
    qtbot.addWidget(first)
    _accepted(first, "svg", kept / "fig.svg").remember()
    assert _proposed(qtbot) == kept / "timeline.svg"
    kept.rmdir()  # moved away since: the default again, never the missing folder
    assert _proposed(qtbot) == home / "timeline.svg"


def test_a_missing_folder_keeps_the_dialog_open_and_says_so(
    qtbot: QtBot, home: Path, tmp_path: Path
) -> None:
    dialog = ExportDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.path_edit.setText(str(tmp_path / "missing" / "fig.png"))
    dialog.export_button.click()
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.isVisible()
    assert "does not exist" in dialog.error_label.text()
    dialog.path_edit.setText(str(tmp_path / "fig.png"))
    assert not dialog.error_label.isVisible()
    dialog.export_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted


# --------------------------------------------------------------------------- keyboard, names

CONTROLS = (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox, QAbstractItemView)


def unnamed_controls(dialog: QWidget) -> list[str]:
    """The dialog's controls (buttons, fields, boxes, tables) with no accessible name, by
    object name or class; a control's own parts (a spin box's line edit) are not counted."""

    def inside_control(w: QWidget) -> bool:
        parent = w.parentWidget()
        while parent is not None and parent is not dialog:
            if isinstance(parent, CONTROLS):
                return True
            parent = parent.parentWidget()
        return False

    controls = [
        w for w in dialog.findChildren(QWidget) if isinstance(w, CONTROLS) and not inside_control(w)
    ]
    assert controls
    return [w.objectName() or type(w).__name__ for w in controls if not w.accessibleName()]


def mnemonic_clashes(dialog: QWidget) -> list[str]:
    """Letters that two labels or buttons of the dialog both underline (Alt+letter then
    reaches only the first of them)."""
    seen: dict[str, str] = {}
    clashes = []
    for w in dialog.findChildren(QWidget):
        text = w.text() if isinstance(w, (QLabel, QAbstractButton)) else ""
        at = text.replace("&&", "").find("&")
        if at < 0 or at + 1 >= len(text):
            continue
        letter = text.replace("&&", "")[at + 1].lower()
        if letter in seen:
            clashes.append(f"{seen[letter]} / {text}")
        seen[letter] = text
    return clashes


def test_every_control_of_the_export_dialog_has_an_accessible_name(qtbot: QtBot) -> None:
    dialog = ExportDialog()
    qtbot.addWidget(dialog)
    assert unnamed_controls(dialog) == []
    assert dialog.export_button.accessibleName() == "Export"
    assert mnemonic_clashes(dialog) == []  # "&Format:" and "&File:" were both Alt+F


def _press(qtbot: QtBot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key press where the keyboard focus is, as a user's key would go."""
    target = QApplication.focusWidget()
    assert target is not None, "no widget has the keyboard focus"
    qtbot.keyClick(target, key, modifier)


def test_a_keyboard_only_user_exports(
    qtbot: QtBot, window: MainWindow, home: Path, tmp_path: Path
) -> None:
    """Ctrl+E, the format with the arrow keys, the file typed, Enter: the file is written, in
    a folder that exists, which the next export proposes again."""
    (home / "Documents").mkdir()
    steps: list[str] = []

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        try:
            assert isinstance(dialog, ExportDialog)
            qtbot.waitUntil(lambda: dialog.format_box.hasFocus(), timeout=5000)
            assert Path(dialog.path_edit.text()) == home / "Documents" / "timeline.png"
            for _ in range(3):  # PNG, SVG, PDF, CSV
                _press(qtbot, Qt.Key.Key_Down)
            assert dialog.fmt == "csv"
            _press(qtbot, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)  # F&ile:
            assert dialog.path_edit.hasFocus()
            _press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            qtbot.keyClicks(dialog.path_edit, str(home / "Documents" / "events.csv"))
            steps.append("typed")
            _press(qtbot, Qt.Key.Key_Return)
        finally:
            if isinstance(dialog, ExportDialog) and dialog.isVisible():
                dialog.reject()  # never leave the modal loop waiting

    QTimer.singleShot(0, drive)
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert steps == ["typed"]
    out = home / "Documents" / "events.csv"
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert window.statusBar().currentMessage() == f"Exported 6 events as CSV to {out}"
    again = window.export_actions.make_dialog()
    qtbot.addWidget(again)
    assert Path(again.path_edit.text()) == home / "Documents" / "timeline.csv"
