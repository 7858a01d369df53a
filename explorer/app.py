"""Start the desktop app: check for a display, open the library, show the main window.

Without a usable display Qt would abort the process with its platform-plugin message (exit 134
and a core dump). We never let it get there: with no display at all we say so before Qt is even
imported, and when a display is named but cannot be used (unreachable, not authorised, the xcb
libraries missing) we ask Qt to fall back to the offscreen platform, catch its messages, and turn
the fallback into one clear line. Either way the exit status is 2.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.storage.library import open_library

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

EXIT_NO_DISPLAY = 2

# Platforms that need no window system and can show the window without one: the user (tests,
# benchmarks, a VNC session) chose them, so no DISPLAY is asked for. Only those that work on a
# machine without a display: eglfs and minimalegl abort in Qt without an EGL display, linuxfb
# without a framebuffer has no screen, and vkkhrdisplay draws Vulkan surfaces only (no widgets).
HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal", "vnc"})

# Platforms with their own window system, where DISPLAY does not apply.
_NATIVE_PLATFORMS = ("win32", "cygwin", "darwin")

# The Qt platform we fall back to so a failed window system becomes a message, not an abort.
_FALLBACK = "offscreen"

HOW_TO = (
    "run it in a desktop session (or under a virtual display: `xvfb-run explorer`); "
    "`explorer export` works without a display"
)


def requested_platform(env: Mapping[str, str]) -> str:
    """The first platform named in QT_QPA_PLATFORM (without its `:options`), or ""."""
    value = env.get("QT_QPA_PLATFORM", "").strip()
    first = value.split(";")[0]
    return first.split(":")[0].strip().lower()


def missing_display(env: Mapping[str, str], platform: str = sys.platform) -> str | None:
    """Why no window can be opened, judged from the environment alone; None when one may be.

    Args:
        env: The environment (os.environ).
        platform: sys.platform.

    Returns:
        A one-line message for stderr, or None.
    """
    if platform.startswith(_NATIVE_PLATFORMS):
        return None
    if requested_platform(env) in HEADLESS_PLATFORMS:
        return None
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return f"explorer: no display found (DISPLAY and WAYLAND_DISPLAY are not set); {HOW_TO}"


def platform_with_fallback(env: Mapping[str, str], platform: str = sys.platform) -> str | None:
    """The QT_QPA_PLATFORM value that ends with the offscreen fallback; None to leave it alone."""
    if platform.startswith(_NATIVE_PLATFORMS):
        return None
    value = env.get("QT_QPA_PLATFORM", "").strip()
    if requested_platform(env) in HEADLESS_PLATFORMS:
        return None
    if not value:
        value = "wayland;xcb" if env.get("WAYLAND_DISPLAY") else "xcb"
    return f"{value};{_FALLBACK}"


def unusable_display_message(env: Mapping[str, str], qt_messages: list[str]) -> str:
    """One line saying why the named display could not be used, from Qt's startup messages."""
    display = env.get("DISPLAY") or env.get("WAYLAND_DISPLAY") or "?"
    text = " ".join(qt_messages)
    if "could not connect to display" in text or "Failed to create wl_display" in text:
        reason = f"cannot connect to display {display}"
    elif "xcb-cursor0" in text or "libxcb" in text:
        reason = (
            "Qt's xcb platform cannot load: install the xcb libraries "
            "(Debian/Ubuntu: apt install libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 "
            "libxcb-keysyms1)"
        )
    else:
        reason = f"cannot open a window on display {display}"
    return f"explorer: {reason}; {HOW_TO}"


def run_app(db_path: Path | None) -> int:
    """Run the desktop app until its window closes.

    Args:
        db_path: A store to show instead of the bundled one (`--db`).

    Returns:
        The exit status: 0, or 2 without a usable display (one line on stderr).

    Raises:
        StoreError: the store is not usable (the command line prints it as one line).
    """
    reason = missing_display(os.environ)
    if reason:
        print(reason, file=sys.stderr)
        return EXIT_NO_DISPLAY
    library, warnings = open_library(db_path)
    warnings = [w[0].upper() + w[1:] for w in warnings]  # shown as a sentence in the status bar

    fallback = platform_with_fallback(os.environ)
    original_platform = os.environ.get("QT_QPA_PLATFORM")
    if fallback is not None:
        os.environ["QT_QPA_PLATFORM"] = fallback

    from PySide6.QtCore import qInstallMessageHandler

    from explorer.render.page import deterministic_hashes

    deterministic_hashes()  # a PDF exported here has the bytes of the same one from the CLI

    startup_messages: list[str] = []
    qInstallMessageHandler(lambda _kind, _ctx, msg: startup_messages.append(msg))
    try:
        from PySide6.QtWidgets import QApplication

        existing = QApplication.instance()
        app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    finally:
        qInstallMessageHandler(None)
    if fallback is not None and QApplication.platformName() == _FALLBACK:
        print(unusable_display_message(os.environ, startup_messages), file=sys.stderr)
        library.close()
        return EXIT_NO_DISPLAY
    # Processes started from the app should see the user's own setting, not our fallback.
    if original_platform is None:
        os.environ.pop("QT_QPA_PLATFORM", None)
    else:
        os.environ["QT_QPA_PLATFORM"] = original_platform

    from PySide6.QtCore import QSettings

    from explorer.qt.workspace import Workspace
    from explorer.storage.paths import user_store_path
    from explorer.ui.main_window import MainWindow

    configure_application(app)
    workspace = Workspace(library, warnings, QSettings(), watch=True, user_store=user_store_path())
    window = MainWindow(workspace)
    window.show()
    # Take the keyboard focus: window managers give it anyway, a bare X server (Xvfb,
    # screenshots, kiosks) only when asked, and without it no shortcut would work.
    window.raise_()
    window.activateWindow()
    # (a large library's order is still being read: the first event is selected once it is)
    workspace.select_first()
    try:
        return int(app.exec())
    finally:
        workspace.shutdown()
        library.close()


# Families tried in order for every character: the platform's UI font first, then fonts that
# hold Chinese and Japanese glyphs. Only installed ones are used; none is required.
CJK_FALLBACKS = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans",
    "Droid Sans Fallback",
    "WenQuanYi Micro Hei",
)


def configure_application(app: QApplication) -> None:
    """Names for QSettings, the window icon, a font with CJK fallbacks and the style sheet."""
    from PySide6.QtGui import QFont, QFontDatabase, QIcon

    from explorer.storage.paths import resources_dir
    from explorer.ui.fonts import with_resolved_first_family

    app.setOrganizationName("policy-timeline-explorer")
    app.setApplicationName("explorer")
    app.setApplicationDisplayName("Policy Timeline Explorer")
    app.setDesktopFileName("explorer")
    resources = resources_dir()
    icon = resources / "icons" / "app.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    installed = set(QFontDatabase.families())
    font = QFont(app.font())
    families = [font.family()] + [f for f in CJK_FALLBACKS if f in installed]
    font.setFamilies(families)
    # The platform's font name may be generic ("Sans Serif"): resolved to the real family, it
    # stays first, so Latin text (curly quotes, dashes) is not drawn by the CJK fallback.
    app.setFont(with_resolved_first_family(font))
    style = resources / "style.qss"
    if style.is_file():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
