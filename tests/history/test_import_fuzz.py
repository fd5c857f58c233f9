"""Every importer fed random mutations of real exports: no traceback, nothing half-written.

Seeds: the shared Last.fm-1K sample (first rows) and the small hand-made export of each
format (tests/history/fixtures). Mutations replace numbers by NaN / Infinity / 1e400 / huge
or negative values, strings by lone surrogates / NUL / huge text, truncate the file or nest
it deeply. Each mutant is imported into a real database: the import either succeeds (bad
rows rejected with their place named) or fails with a KnownError and leaves the database
exactly as it was. Bounded by FUZZ_SECONDS (a few seconds in the suite; raise it to hunt).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from player.core.errors import KnownError
from player.db.connection import Database, open_database
from player.history.import_service import import_files
from player.history.importers import ImportedListen, read_rows
from tests.factories import LISTENS_TSV
from tests.history.fixtures import exports

FUZZ_SECONDS = float(os.environ.get("ENCORE_FUZZ_SECONDS", "6"))
NUMBERS = ["NaN", "Infinity", "-Infinity", "1e400", "-1e25", "1e25", "9" * 400, "-1", "0",
           "1e-400", "18446744073709551616"]
STRINGS = ["\\ud800", "\\udfff x", "\\u0000", "x" * 200_000, "", "\\u202e\\u0301", "'\"\\\\"]
TEXT_NUMBERS = ["NaN", "inf", "1e400", "-5", "9" * 400, "", "0x10", "31 Feb 2020, 10:00",
                "2020-02-31T10:00:00Z", "99999-01-01T00:00:00Z", "\udcff", "1" * 200_000]


def _seeds(folder: Path) -> dict[str, bytes]:
    out = {
        "extended.json": exports.write_spotify_extended(folder / "a.json").read_bytes(),
        "account.json": exports.write_spotify_account(folder / "b.json").read_bytes(),
        "lastfm.csv": exports.write_lastfm_csv_header(folder / "c.csv").read_bytes(),
        "headerless.csv": exports.write_lastfm_csv_headerless(folder / "d.csv").read_bytes(),
        "lastexport.tsv": exports.write_lastexport(folder / "e.tsv").read_bytes(),
        "listenbrainz.json": exports.write_listenbrainz(folder / "f.json").read_bytes(),
        "listenbrainz.jsonl": exports.write_listenbrainz(folder / "g.jsonl", lines=True).read_bytes(),
        "scrobbler.log": exports.write_scrobbler_log(folder / "h.log").read_bytes(),
    }
    if LISTENS_TSV.exists():
        with LISTENS_TSV.open("rb") as f:
            out["lastfm1k.tsv"] = b"".join(f.readline() for _ in range(40))
    return out


_JSON_NUMBER = re.compile(rb'(?<=[:\[,\s])-?\d+(\.\d+)?([eE][-+]?\d+)?(?=[,\]\}\s])')
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_TEXT_FIELD = re.compile(rb'[^\t,\n\r"]+')


def _mutate(data: bytes, name: str, rnd: random.Random) -> bytes:
    json_like = name.endswith((".json", ".jsonl"))
    choice = rnd.randrange(9)
    if choice == 0:  # truncated anywhere
        return data[:rnd.randrange(len(data) + 1)]
    if choice == 1 and json_like:  # deep nesting around a record or the whole file
        depth = rnd.choice([100, 5_000, 200_000])
        return b"[" * depth + data + b"]" * rnd.choice([0, depth])
    if choice == 2:  # random bytes flipped
        buf = bytearray(data)
        for _ in range(rnd.randrange(1, 8)):
            if buf:
                buf[rnd.randrange(len(buf))] = rnd.randrange(256)
        return bytes(buf)
    if choice == 3:  # a line repeated, or one enormous line
        lines = data.split(b"\n")
        i = rnd.randrange(len(lines))
        if rnd.random() < 0.5:
            lines[i] = lines[i] * rnd.choice([2, 1000])
        else:
            lines[i] = lines[i] + b"x" * 300_000
        return b"\n".join(lines)
    spans = list((_JSON_NUMBER if json_like else _TEXT_FIELD).finditer(data))
    strings = list(_JSON_STRING.finditer(data)) if json_like else spans
    out = data
    for _ in range(rnd.randrange(1, 4)):
        pool = spans if (choice % 2 == 0 or not strings) else strings
        if not pool:
            break
        m = rnd.choice(pool)
        if json_like and pool is spans:
            new = rnd.choice(NUMBERS).encode()
        elif json_like:
            new = b'"' + rnd.choice(STRINGS + NUMBERS).encode() + b'"'
        else:
            new = rnd.choice(TEXT_NUMBERS).encode("utf-8", "surrogateescape")
        out = out[:m.start()] + new + out[m.end():]
        spans = list((_JSON_NUMBER if json_like else _TEXT_FIELD).finditer(out))
        strings = list(_JSON_STRING.finditer(out)) if json_like else spans
    return out


def _fingerprint(db: Database) -> str:
    digest = hashlib.sha256()
    for table in ("listen", "external_track"):
        for row in db.iterate(f"SELECT * FROM {table} ORDER BY id"):
            digest.update(repr(row).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _check_values(db: Database) -> None:
    """What was stored is possible: finite times, durations within a day, valid text."""
    bad = db.scalar(
        "SELECT COUNT(*) FROM listen WHERE NOT (started_at BETWEEN 946684800 AND 4102444800) "
        "OR ms_played < 0 OR ms_played > 86400000 OR duration_ms < 0 OR duration_ms > 86400000 "
        "OR utc_offset_min NOT BETWEEN -1080 AND 1080")
    assert bad == 0


def _fuzz(tmp_path: Path, wrap: Callable[[Path, bytes, str], Path], seconds: float) -> int:
    seeds = _seeds(tmp_path)
    db = open_database(tmp_path / "fuzz.db")
    rnd = random.Random(int(os.environ.get("ENCORE_FUZZ_SEED", "18")))
    deadline = time.monotonic() + seconds
    tries = 0
    try:
        while time.monotonic() < deadline:
            name = rnd.choice(sorted(seeds))
            data = _mutate(seeds[name], name, rnd)
            path = wrap(tmp_path, data, name)
            before = _fingerprint(db)
            try:
                list(read_rows(path))  # the readers alone
                import_files(db, [path], tz="UTC")
            except KnownError:
                assert _fingerprint(db) == before, f"a failed import changed the database ({name})"
            except Exception as exc:  # noqa: BLE001 - the point: any other error is a bug
                keep = tmp_path / f"crash-{tries}-{name}"
                keep.write_bytes(data)
                raise AssertionError(f"{name} mutant {keep} raised {type(exc).__name__}: {exc}") from exc
            _check_values(db)
            tries += 1
    finally:
        db.close()
    return tries


def _plain(folder: Path, data: bytes, name: str) -> Path:
    path = folder / f"mutant-{name}"
    path.write_bytes(data)
    return path


def _zipped(folder: Path, data: bytes, name: str) -> Path:
    path = folder / "mutant.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"Spotify/{name}", data)
    if len(data) > 64:  # sometimes damage the compressed bytes: a CRC error on reading
        raw = bytearray(path.read_bytes())
        raw[40 + len(name) + 8] ^= 0x55
        path.write_bytes(bytes(raw))
    return path


def test_every_importer_survives_random_mutations(tmp_path: Path) -> None:
    assert _fuzz(tmp_path, _plain, FUZZ_SECONDS * 2 / 3) > 10


def test_zipped_mutants_and_crc_errors(tmp_path: Path) -> None:
    assert _fuzz(tmp_path, _zipped, FUZZ_SECONDS / 3) > 3


@pytest.mark.parametrize("field,value", [
    ("ms_played", "NaN"), ("ms_played", "Infinity"), ("ms_played", "1e400"),
    ("ms_played", "-1e25"), ("ms_played", "1e25"), ("ms_played", "9" * 400),
    ("ts", '"2020-02-31T10:00:00Z"'), ("ts", "1e400"), ("ts", '"\\ud800"'),
])
def test_each_impossible_value_rejects_its_row_only(tmp_path: Path, field: str, value: str) -> None:
    records = exports.spotify_extended_records(3)
    text = json.dumps(records)
    marker = f'"{field}": {json.dumps(records[0][field])}'
    assert marker in text
    path = tmp_path / "h.json"
    path.write_text(text.replace(marker, f'"{field}": {value}', 1), encoding="utf-8")
    rows = list(read_rows(path))
    assert [type(r).__name__ for r in rows] == ["Rejected", "ImportedListen", "ImportedListen"]
    assert "record 1" in rows[0].where  # type: ignore[union-attr]


def test_lone_surrogates_in_names_are_kept_readable(tmp_path: Path, db: Database) -> None:
    records = exports.spotify_extended_records(2)
    text = json.dumps(records).replace('"Digital Love"', '"Digital \\ud800Love"', 1)
    path = tmp_path / "h.json"
    path.write_text(text, encoding="utf-8")
    listens = [r for r in read_rows(path) if isinstance(r, ImportedListen)]
    assert listens[0].title == "Digital \ufffdLove"
    assert import_files(db, [path]).imported == 2


@pytest.mark.parametrize("name", ["lastfm1k.tsv", "lastfm.csv", "scrobbler.log", "lastexport.tsv"])
def test_an_overlong_line_is_one_rejected_row_and_is_never_held(tmp_path: Path, name: str,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from player.history.importers import textio

    monkeypatch.setattr(textio, "MAX_LINE_CHARS", 4096)  # 1 MiB in real use
    seeds = _seeds(tmp_path)
    if name not in seeds:
        pytest.skip("the Last.fm-1K sample is absent")
    lines = seeds[name].split(b"\n")
    good = sum(isinstance(r, ImportedListen) for r in read_rows(_plain(tmp_path, seeds[name], name)))
    lines.insert(len(lines) - 2, b"x\t" * 200_000)  # 400 KB without a line break
    rows = list(read_rows(_plain(tmp_path, b"\n".join(lines), name)))
    assert sum(isinstance(r, ImportedListen) for r in rows) == good
    assert sum(not isinstance(r, ImportedListen) for r in rows) == 1
    (bad,) = [r for r in rows if not isinstance(r, ImportedListen)]
    assert "20000" not in bad.reason  # type: ignore[union-attr]  # its fields were never split
