"""The CLI as a user runs it: a real process, a real database file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.factories import LIBROSA

ROOT = Path(__file__).resolve().parents[2]


def encore(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "player", *args], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, **(env or {})})


def test_scan_then_list_the_librosa_folder(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    scan = encore("--db", db, "scan", str(LIBROSA))
    assert scan.returncode == 0, scan.stderr
    assert "15 added" in scan.stdout
    listed = encore("--db", db, "tracks", "--json")
    tracks = json.loads(listed.stdout)
    assert len(tracks) == 15
    assert {"pibble", "glacier-bay-humpback"} <= {t["title"] for t in tracks}
    assert all(Path(t["path"]).exists() for t in tracks)
    search = json.loads(encore("--db", db, "tracks", "--search", "vibe", "--json").stdout)
    assert [t["title"] for t in search] == ["Vibe Ace"]
    limited = json.loads(encore("--db", db, "tracks", "--limit", "3", "--json").stdout)
    assert len(limited) == 3


def test_library_summary(tmp_path: Path) -> None:
    db = str(tmp_path / "lib.db")
    encore("--db", db, "scan", str(LIBROSA))
    stats = json.loads(encore("--db", db, "library", "--json").stdout)
    assert stats["tracks"] == 15 and stats["by_format"] == {"vorbis": 15}
    assert 800 < stats["total_duration"] < 900
    text = encore("--db", db, "library").stdout
    assert "15 tracks" in text and "vorbis: 15" in text


def test_encore_db_environment_variable(tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    encore("scan", str(LIBROSA), env={"ENCORE_DB": str(db)})
    assert db.exists()


def test_scan_issues_lists_reasons(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "noise.mp3").write_bytes(os.urandom(3000))
    (folder / "empty.flac").write_bytes(b"")
    db = str(tmp_path / "bad.db")
    assert encore("--db", db, "scan", str(folder)).returncode == 1  # some files could not be read
    issues = json.loads(encore("--db", db, "scan-issues", "--json").stdout)
    assert {Path(i["path"]).name: i["reason"] for i in issues}["empty.flac"] == "empty file"
    assert len(issues) == 2 and all(i["reason"] for i in issues)
    assert "noise.mp3" in encore("--db", db, "scan-issues").stdout


def test_damaged_database_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    db = tmp_path / "broken.db"
    db.write_bytes(b"garbage" * 1000)
    result = encore("--db", str(db), "library")
    assert result.returncode == 2
    assert "damaged" in result.stderr and "Traceback" not in result.stderr


def test_scanning_links_earlier_imported_listens(tmp_path: Path) -> None:
    """History imported before the music was scanned is linked once the files arrive."""
    db = str(tmp_path / "link.db")
    export = tmp_path / "scrobbles.csv"
    export.write_text("uts,artist,album,track\n"
                      "1700000000,Kevin MacLeod,,Vibe Ace\n"
                      "1700000600,Kevin MacLeod,,Vibe Ace\n", encoding="utf-8")
    imported = encore("--db", db, "import", str(export), "--tz", "UTC", "--json")
    assert imported.returncode == 0, imported.stderr
    scan = json.loads(encore("--db", db, "scan", str(LIBROSA), "--json").stdout)
    assert scan["linked_imports"] >= 1
