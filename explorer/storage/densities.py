"""Per-lane, per-day event counts, precomputed so that a zoomed-out timeline reads counts.

A store of a million events draws its overview from a few tens of thousands of rows here
instead of scanning the events (DESIGN.md section 5).
"""

from __future__ import annotations

import sqlite3

LANE_MODES = ("country", "agency")


def rebuild(conn: sqlite3.Connection) -> None:
    """Recount every lane's events per start day."""
    conn.execute("DELETE FROM densities")
    for mode in LANE_MODES:
        conn.execute(
            f"""
            INSERT INTO densities (lane_mode, lane, day, count)
            SELECT ?, lane_{mode}, start_day, count(*)
            FROM events GROUP BY lane_{mode}, start_day
            """,
            (mode,),
        )
