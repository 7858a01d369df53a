"""File → Export… and Copy citation in the window: the dialog's remembered choices, a real
export of the view, a failed export that explains itself, and the citation on the clipboard."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from PySide6.QtGui import QGuiApplication, QImage, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QToolBar
from pytestqt.qtbot import QtBot

from explorer.qt.detail_html import quote_at
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
    assert {"&Format:", "&File:", "&Size:", "&Page:"} <= set(labels)
    assert all(lab.buddy() is not None for lab in labels.values()), [
        t for t, lab in labels.items() if lab.buddy() is None
    ]
    assert labels["&File:"].buddy() is dialog.path_edit
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


def test_copy_citation_puts_the_quotes_source_on_the_clipboard(window: MainWindow) -> None:
    window.workspace.select_key(ANNOUNCED)
    text = window.export_actions.copy_citation()
    assert text.startswith("South China Morning Post. (2024).")
    assert QGuiApplication.clipboard().text() == text


def test_copy_citation_without_a_selection_copies_nothing(window: MainWindow) -> None:
    window.workspace.select(-1)
    assert window.export_actions.copy_citation() == ""


def test_the_selected_quote_is_the_one_under_the_cursor() -> None:
    event = sample_events()[0]
    two = event.__class__(
        **{**event.__dict__, "quotes": (*event.quotes, *sample_events()[2].quotes)}
    )
    plain = (
        "Title\n“These restrictions are set to take effect from July 1.”\n"
        '“輸出管理リスト, "draft"\nsecond line”'
    )
    assert quote_at(two, plain, 0).source == SRC_EN  # above every quote: the first
    assert quote_at(two, plain, plain.index("輸出") + 2).source == SRC_JA
    assert quote_at(two, plain, plain.index("July")).source == SRC_EN


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
