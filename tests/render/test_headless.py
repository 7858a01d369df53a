"""Pictures need no display: `explorer export` renders offscreen whatever QT_QPA_PLATFORM says.

A platform that cannot start here (xcb without DISPLAY, eglfs without EGL, a typo) makes Qt
abort the process (exit 134) when it builds the Gui application; the export never shows a
window, so it always asks Qt for the offscreen platform. The app's list of headless platforms
(explorer.app.HEADLESS_PLATFORMS) holds only platforms that start without a display.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.app import HEADLESS_PLATFORMS

REPO = Path(__file__).resolve().parents[2]


def bare_env(platform: str | None, **extra: str) -> dict[str, str]:
    """The environment without any display, and QT_QPA_PLATFORM as given (None: unset)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}
    }
    env["PYTHONPATH"] = str(REPO)
    if platform is not None:
        env["QT_QPA_PLATFORM"] = platform
    env.update(extra)
    return env


def export(store: Path, out: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    args = ["export", "--db", str(store), "--no-user-store", "-o", str(out)]
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("platform", ["xcb", "nonsense", "eglfs", "wayland", "", None])
def test_png_export_with_a_platform_that_cannot_start(
    mini_store: Path, tmp_path: Path, platform: str | None
) -> None:
    out = tmp_path / "view.png"
    proc = export(mini_store, out, bare_env(platform))
    assert proc.returncode == 0, proc.stderr  # not 134 (Qt's abort)
    assert proc.stderr == ""
    assert proc.stdout == f"{out}: the view as PNG\n"
    assert png_size(out.read_bytes()) == (1600, 900)


@pytest.mark.parametrize("platform", ["xcb", "nonsense"])
def test_pdf_export_with_a_platform_that_cannot_start(
    mini_store: Path, tmp_path: Path, platform: str
) -> None:
    out = tmp_path / "view.pdf"
    proc = export(mini_store, out, bare_env(platform))
    assert proc.returncode == 0, proc.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert b"/FontFile2" in data  # text kept as text: the fonts are embedded


def test_the_platform_in_the_environment_does_not_change_the_bytes(
    mini_store: Path, tmp_path: Path
) -> None:
    made = []
    for n, platform in enumerate(["offscreen", "xcb", "minimal"]):
        out = tmp_path / f"view{n}.svg"
        proc = export(mini_store, out, bare_env(platform, SOURCE_DATE_EPOCH="1767225600"))
        assert proc.returncode == 0, proc.stderr
        made.append(out.read_bytes())
    assert made[0] == made[1] == made[2]


@pytest.mark.parametrize("platform", sorted(HEADLESS_PLATFORMS))
def test_every_headless_platform_starts_without_a_display(platform: str) -> None:
    # What the app does with one of them (no DISPLAY needed): a Gui application with a screen.
    code = (
        "import sys\n"
        "from PySide6.QtGui import QGuiApplication\n"
        "app = QGuiApplication(['probe'])\n"
        "screen = app.primaryScreen()\n"
        "assert screen is not None and not screen.geometry().isEmpty(), 'no screen'\n"
        "print(app.platformName())\n"
    )
    env = bare_env(platform)
    if platform == "vnc":
        env["QT_QPA_PLATFORM"] = "vnc:port=0"  # any free port: never the user's 5900
    proc = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == platform


def test_platforms_that_fail_here_are_not_headless() -> None:
    # eglfs and minimalegl abort without an EGL display, linuxfb without a framebuffer has no
    # screen (the window cannot be placed), vkkhrdisplay draws Vulkan surfaces only.
    assert not HEADLESS_PLATFORMS & {"eglfs", "minimalegl", "linuxfb", "vkkhrdisplay"}
    assert {"offscreen", "minimal"} <= HEADLESS_PLATFORMS
