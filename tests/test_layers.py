"""The layers hold what the import-linter contracts (`make lint`) cannot say.

import-linter forbids whole packages (PySide6, sqlite3); these tests add the finer rules of
DESIGN.md: painting and exports use QtGui, never widgets; the domain writes no SQL.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "explorer"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


def _modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", ["render", "export", "storage", "domain", "qt"])
def test_no_widgets_below_the_widgets(layer: str) -> None:
    """Pictures are painted with QtGui; the Qt models are QObjects: only ui/ has widgets."""
    for path in _modules(layer):
        assert not any(m.startswith("PySide6.QtWidgets") for m in _imports(path)), path


_SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b.+\b(FROM|INTO|SET|WHERE)\b", re.S)


def test_the_domain_writes_no_sql() -> None:
    for path in _modules("domain"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert not _SQL.search(node.value), f"{path}: {node.value[:60]!r}"


def test_the_schema_speaks_the_domains_vocabulary() -> None:
    """One vocabulary: the store's CHECK lists are the domain's enums."""
    from explorer.domain.dates import Basis, Precision
    from explorer.domain.model import Kind, RelationKind, Status
    from explorer.storage import schema

    assert set(schema.KINDS) == {k.value for k in Kind}
    assert set(schema.STATUSES) == {s.value for s in Status}
    assert set(schema.PRECISIONS) == {p.value for p in Precision}
    assert set(schema.BASES) == {b.value for b in Basis}
    assert set(schema.RELATION_KINDS) == {r.value for r in RelationKind}
