"""ARCHITECTURE.md's import rules, enforced by walking every module's imports with ast."""

from __future__ import annotations

import ast
from pathlib import Path

PLAYER = Path(__file__).resolve().parents[2] / "player"

# Layer of each top-level part of player/, low to high. A module may import its own layer
# and the layers below it, never above.
LAYERS = {
    "core": 0, "resources": 0, "logfile": 0,
    "tags": 1, "db": 1, "engine": 1,
    "library": 2, "history": 2, "analysis": 2, "recommend": 2, "recap": 2, "playlists": 2,
    "services": 3, "playback": 3,
    "qt": 4,
    "ui": 5,
    "app": 6, "cli": 6, "__main__": 7,  # cli opens the GUI through app when given no verb
}
# A third-party library and the only part of player/ allowed to import it.
HOMES = {
    "vlc": ("engine.vlc",),
    "peewee": ("db",),
    "mutagen": ("tags",),
    "av": ("analysis.decode",),
    "sklearn": ("recommend",),
}
QT_ALLOWED = ("qt", "ui", "app")
PURE = ("recommend", "recap")  # no I/O libraries, no database, no Qt


def _modules() -> list[tuple[str, ast.Module]]:
    out = []
    for path in sorted(PLAYER.rglob("*.py")):
        relative = path.relative_to(PLAYER).with_suffix("")
        name = ".".join(relative.parts).removesuffix("__init__").rstrip(".")
        out.append((name, ast.parse(path.read_text(encoding="utf-8"))))
    return out


def _imports(tree: ast.Module) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def _part(module: str) -> str:
    return module.split(".")[0]


def test_every_part_has_a_layer() -> None:
    unknown = {_part(name) for name, _ in _modules() if name and _part(name) not in LAYERS}
    assert not unknown, f"add these parts of player/ to LAYERS: {unknown}"


def test_no_layer_imports_upward() -> None:
    bad = []
    for name, tree in _modules():
        if not name:
            continue
        own = LAYERS[_part(name)]
        for imported in _imports(tree):
            if imported.startswith("player."):
                target = _part(imported.removeprefix("player."))
                if target in LAYERS and LAYERS[target] > own:
                    bad.append(f"{name} imports {imported}")
    assert not bad, "\n".join(bad)


def test_third_party_libraries_stay_in_their_home() -> None:
    bad = []
    for name, tree in _modules():
        for imported in _imports(tree):
            library = imported.split(".")[0]
            homes = HOMES.get(library)
            if homes and not any(name == h or name.startswith(h + ".") for h in homes):
                bad.append(f"{name} imports {library} (its home is {homes})")
    assert not bad, "\n".join(bad)


def test_qt_only_in_qt_ui_and_app() -> None:
    bad = [
        f"{name} imports {imported}"
        for name, tree in _modules()
        for imported in _imports(tree)
        if imported.startswith("PySide6") and _part(name) not in QT_ALLOWED
    ]
    assert not bad, "\n".join(bad)


def test_recommender_and_recap_are_pure() -> None:
    forbidden = ("player.db", "player.engine", "player.library", "sqlite3", "peewee", "PySide6",
                 "vlc", "av", "mutagen", "socket", "urllib", "http")
    bad = [
        f"{name} imports {imported}"
        for name, tree in _modules()
        if _part(name) in PURE
        for imported in _imports(tree)
        if any(imported == f or imported.startswith(f + ".") for f in forbidden)
    ]
    assert not bad, "\n".join(bad)


def test_views_never_reach_the_database() -> None:
    """ui/ gets services and view-models from the composition root (app.py), never db/."""
    bad = [
        f"{name} imports {imported}"
        for name, tree in _modules()
        if _part(name) == "ui"
        for imported in _imports(tree) + _from_player_imports(tree)
        if imported == "player.db" or imported.startswith("player.db.")
    ]
    assert not bad, "\n".join(bad)


def _from_player_imports(tree: ast.Module) -> list[str]:
    """`from player import db` spelled that way still reaches db/."""
    return [f"player.{alias.name}" for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "player" and node.level == 0
            for alias in node.names]


def test_the_layer_test_sees_a_view_importing_the_database() -> None:
    tree = ast.parse("from player.db.connection import Database\nfrom player import db\n")
    assert _imports(tree)[0] == "player.db.connection"
    assert _from_player_imports(tree) == ["player.db"]
