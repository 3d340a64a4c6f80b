"""Style gates: ruff over the tree and mypy over the shipped packages."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def test_ruff_clean() -> None:
    result = subprocess.run([str(BIN / "ruff"), "check", "."], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_mypy_clean() -> None:
    result = subprocess.run([str(BIN / "mypy")], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_packages_ship_py_typed() -> None:
    for package in ("portaltext", "crawler", "store", "feeds"):
        assert (REPO / package / "py.typed").exists()


def test_the_text_layer_imports_nothing_above_it() -> None:
    """portaltext (text, dates, classifier, meeting records) is the pure layer that crawler/, store/
    and feeds/ build on; an import the other way would make it drag Scrapy and the database along."""
    above = {"crawler", "store", "feeds", "tests", "scrapy", "sqlalchemy"}
    offenders = []
    for path in (REPO / "portaltext").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else []
            offenders += [f"{path.relative_to(REPO)}:{node.lineno}: {n}" for n in names if n.split(".")[0] in above]
    assert not offenders, offenders


def test_nothing_imports_the_text_functions_from_their_old_place() -> None:
    moved = ("crawler.text", "crawler.dates", "crawler.classify", "crawler.meeting", "crawler.boilerplate")
    offenders = [f"{p.relative_to(REPO)}: {m}" for pkg in ("store", "feeds", "crawler", "tests", "bench")
                 for p in (REPO / pkg).rglob("*.py") if p != Path(__file__).resolve()
                 for m in moved if m in p.read_text(encoding="utf-8")]
    assert not offenders, offenders
