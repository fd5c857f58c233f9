"""pyproject's dependencies are exactly what player/ imports, and the version has one source."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

import player

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# distribution -> the module it is imported as
IMPORT_NAME = {"PySide6-Essentials": "PySide6", "python-vlc": "vlc", "scikit-learn": "sklearn",
               "av": "av", "mutagen": "mutagen", "peewee": "peewee", "numpy": "numpy",
               "scipy": "scipy", "platformdirs": "platformdirs", "threadpoolctl": "threadpoolctl",
               "tqdm": "tqdm"}
# Listed but not imported yet, and why (keep this short and true).
NOT_YET_IMPORTED = {"scikit-learn": "the recommender's learned ranker (issue 13) uses it"}


def _distributions() -> set[str]:
    return {re.split(r"[<>=!;\[ ]", d, maxsplit=1)[0] for d in PYPROJECT["project"]["dependencies"]}


def _imported() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "player").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "player"}


def test_every_import_is_a_listed_dependency() -> None:
    listed = {IMPORT_NAME[d] for d in _distributions()}
    assert _imported() <= listed, f"imported but not in pyproject: {_imported() - listed}"


def test_every_listed_dependency_is_imported() -> None:
    unused = {d for d in _distributions() if IMPORT_NAME[d] not in _imported()}
    assert unused <= set(NOT_YET_IMPORTED), f"listed but never imported: {unused}"


def test_the_version_has_one_source() -> None:
    assert "version" in PYPROJECT["project"]["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "player.__version__"}
    metainfo = (ROOT / "resources" / "org.encore.Encore.metainfo.xml").read_text(encoding="utf-8")
    newest = re.search(r'<release version="([^"]+)"', metainfo)
    assert newest and newest.group(1) == player.__version__, "add a <release> for this version"
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[?{re.escape(player.__version__)}\]?", changelog, re.M)
