"""The house flows one way (DESIGN.md: files, ingest, DuckDB, queries, analysis, charts,
pages and CLI): a lower layer never imports a higher one, and only the web app imports
Streamlit, so analysis and charts run in tests, the CLI and a cron job alike. Imports are read
from the source (ast), inside functions too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "dashboard"

# (package, what it must never import)
RULES = [
    ("analysis", ("dashboard.charts", "dashboard.web", "dashboard.reports", "dashboard.export",
                  "streamlit")),
    ("charts", ("dashboard.web", "streamlit")),
    ("ingest", ("dashboard.analysis", "dashboard.charts", "dashboard.web", "streamlit")),
    ("store", ("dashboard.analysis", "dashboard.charts", "dashboard.web", "streamlit")),
    ("reports", ("dashboard.web", "streamlit")),
    ("export", ("dashboard.web", "streamlit")),
]


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize(("package", "forbidden"), RULES)
def test_a_layer_never_imports_a_higher_one(package, forbidden):
    found = sorted(
        f"{path.relative_to(PACKAGE.parent)} imports {name}"
        for path in (PACKAGE / package).rglob("*.py")
        for name in imported_modules(path)
        if any(name == f or name.startswith(f + ".") for f in forbidden))
    assert not found


def test_the_rule_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from dashboard.charts.style import PER_VOTERS\n")
    assert "dashboard.charts.style" in imported_modules(module)
