"""The painter's pure parts, without a QApplication."""

from __future__ import annotations


def test_density_levels_are_made_run_by_run_exactly() -> None:
    """The painter's log-count colour table, as a plain loop over every count would make it."""
    import math

    from explorer.render.painter import _log_levels

    def every_count(peak: int) -> bytes:
        scale = 254 / math.log1p(peak)
        return bytes([0] + [1 + int(math.log1p(c) * scale) for c in range(1, peak + 1)])

    for peak in (1, 2, 3, 7, 10, 99, 254, 255, 256, 1000, 12_345, 77_777, 200_000):
        assert _log_levels(peak) == every_count(peak), peak
