"""Without a usable display the app says so in one line and exits 2: no Qt abort, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.app import (
    EXIT_NO_DISPLAY,
    missing_display,
    platform_with_fallback,
    unusable_display_message,
)


def run_explorer(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def bare_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}
    }
    env.update(extra)
    return env


def assert_one_clear_line(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == EXIT_NO_DISPLAY, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "explorer export" in lines[0]
    assert proc.stdout == ""
    return lines[0]


def test_no_display_at_all(mini_store: Path) -> None:
    line = assert_one_clear_line(run_explorer(bare_env(), "--db", str(mini_store)))
    assert "no display" in line
    assert "xvfb-run" in line


def test_default_command_without_display() -> None:
    # `explorer` alone is `explorer gui`: the check comes before anything is built or opened
    assert_one_clear_line(run_explorer(bare_env()))


def test_display_set_but_unreachable(mini_store: Path) -> None:
    free = next(
        n
        for n in range(251, 299)
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists()
    )
    proc = run_explorer(bare_env(DISPLAY=f":{free}"), "--db", str(mini_store))
    line = assert_one_clear_line(proc)
    assert f"cannot connect to display :{free}" in line


@pytest.mark.parametrize(
    "env, expected",
    [
        ({}, "no display"),
        ({"DISPLAY": ":0"}, None),
        ({"WAYLAND_DISPLAY": "wayland-0"}, None),
        ({"QT_QPA_PLATFORM": "offscreen"}, None),
        ({"QT_QPA_PLATFORM": "vnc:size=800x600"}, None),
        ({"QT_QPA_PLATFORM": "xcb"}, "no display"),
    ],
)
def test_missing_display_on_linux(env: dict[str, str], expected: str | None) -> None:
    result = missing_display(env, platform="linux")
    if expected is None:
        assert result is None
    else:
        assert result is not None and expected in result and "explorer export" in result


def test_other_platforms_have_their_own_window_system() -> None:
    assert missing_display({}, platform="win32") is None
    assert missing_display({}, platform="darwin") is None
    assert platform_with_fallback({}, platform="darwin") is None


def test_fallback_keeps_the_users_choice_first() -> None:
    assert platform_with_fallback({"DISPLAY": ":0"}, "linux") == "xcb;offscreen"
    assert platform_with_fallback({"WAYLAND_DISPLAY": "w"}, "linux") == "wayland;xcb;offscreen"
    assert platform_with_fallback({"QT_QPA_PLATFORM": "wayland"}, "linux") == "wayland;offscreen"
    assert platform_with_fallback({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None


def test_unusable_display_messages_name_the_cause() -> None:
    env = {"DISPLAY": ":5"}
    assert "cannot connect to display :5" in unusable_display_message(
        env, ["could not connect to display :5"]
    )
    libs = unusable_display_message(
        env, ["From 6.5.0, xcb-cursor0 or libxcb-cursor0 is needed to load the Qt xcb plugin."]
    )
    assert "libxcb-cursor0" in libs and "explorer export" in libs
    assert "\n" not in libs
