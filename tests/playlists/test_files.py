from __future__ import annotations

import socket
from pathlib import Path

import pytest

from player.db.playlists import PlaylistRepository
from player.playlists.entries import PlaylistFileError
from player.playlists.files import export_playlist, import_playlist_file, read_playlist_file
from tests.playlists.helpers import add_named


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test: playlists never fetch URLs."""
    def refuse(*args, **kwargs):
        raise AssertionError("a playlist import tried to use the network")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def library(db, tmp_path):
    root = tmp_path / "music"
    specs = [(str(root / "Miles Davis" / "Kind of Blue" / "01 So What.flac"), "Miles Davis", "So What", "Jazz"),
             (str(root / "Björk" / "Post" / "02 Hyperballad.mp3"), "Björk", "Hyperballad", "Pop"),
             (str(root / "Slayer" / "Reign" / "01 Angel of Death.mp3"), "Slayer", "Angel of Death", "Metal"),
             (str(root / "Other" / "Album" / "01 So What.flac"), "Someone", "Different", "Jazz")]
    ids = add_named(db, specs)
    return root, ids


def _write(path: Path, text: str, encoding: str = "utf-8", bom: bytes = b"") -> Path:
    path.write_bytes(bom + text.encode(encoding))
    return path


def test_extended_m3u8_with_bom_crlf_relative_and_absolute_paths(db, library, tmp_path) -> None:
    root, ids = library
    text = ("#EXTM3U\r\n#PLAYLIST:Evening\r\n#EXTINF:123,Björk - Hyperballad\r\n"
            "music/Björk/Post/02 Hyperballad.mp3\r\n"
            f"#EXTINF:-1,Miles Davis - So What\r\n{root}/Miles Davis/Kind of Blue/01 So What.flac\r\n")
    report = import_playlist_file(db, _write(tmp_path / "e.m3u8", text, bom=b"\xef\xbb\xbf"))
    assert (report.name, report.entries, report.resolved, report.by_path) == ("Evening", 2, 2, 2)
    assert PlaylistRepository(db).track_ids(report.playlist_id) == [ids["Hyperballad"], ids["So What"]]


@pytest.mark.parametrize("encoding,bom", [("latin-1", b""), ("cp1252", b""), ("utf-16-le", b"\xff\xfe"),
                                          ("utf-16-be", b"\xfe\xff"), ("utf-16-le", b""),
                                          ("utf-16-be", b"")])
def test_legacy_and_utf16_encodings(db, library, tmp_path, encoding, bom) -> None:
    _, ids = library
    text = "#EXTM3U\n#EXTINF:1,Björk - Hyperballad\nmusic/Björk/Post/02 Hyperballad.mp3\n"
    report = import_playlist_file(db, _write(tmp_path / "x.m3u", text, encoding, bom))
    assert report.unresolved == [] and report.resolved == 1, report
    assert PlaylistRepository(db).track_ids(report.playlist_id) == [ids["Hyperballad"]]


def test_empty_and_header_only_files_are_refused_and_create_nothing(db, library, tmp_path) -> None:
    for name, text in (("empty.m3u", ""), ("blank.m3u8", "\r\n  \n"), ("header.m3u", "#EXTM3U\n"),
                       ("empty.pls", "[playlist]\nNumberOfEntries=0\n"), ("empty.xspf", "")):
        with pytest.raises(PlaylistFileError):
            import_playlist_file(db, _write(tmp_path / name, text))
    with pytest.raises(PlaylistFileError):
        import_playlist_file(db, tmp_path / "does-not-exist.m3u")
    assert PlaylistRepository(db).all() == []


def test_truncated_files(db, library, tmp_path) -> None:
    root, ids = library
    m3u = f"#EXTM3U\n{root}/Slayer/Reign/01 Angel of Death.mp3\n#EXTINF:12,Miles Da"
    report = import_playlist_file(db, _write(tmp_path / "cut.m3u", m3u))
    assert report.resolved == 1 and any("truncated" in w for w in report.warnings)
    xspf = ('<?xml version="1.0"?><playlist xmlns="http://xspf.org/ns/0/"><trackList><track>'
            f"<location>{root}/Slayer/Reign/01 Angel")
    with pytest.raises(PlaylistFileError, match="truncated"):
        import_playlist_file(db, _write(tmp_path / "cut.xspf", xspf))
    pls = f"[playlist]\nFile1={root}/Slayer/Reign/01 Angel of Death.mp3\nTitle1=Sla"
    assert import_playlist_file(db, _write(tmp_path / "cut.pls", pls)).resolved == 1
    assert len(PlaylistRepository(db).all()) == 2  # the failed XSPF created nothing


def test_urls_are_reported_never_fetched_and_missing_files_reported(db, library, tmp_path) -> None:
    root, ids = library
    text = ("#EXTM3U\nhttp://127.0.0.1:9/stream.mp3\n#EXTINF:1,Nobody - Nothing\n"
            "https://example.com/a.mp3\nftp://host/b.mp3\n/nowhere/at/all.mp3\n"
            f"{root}/Slayer/Reign/01 Angel of Death.mp3\n")
    report = import_playlist_file(db, _write(tmp_path / "u.m3u", text))
    assert report.resolved == 1
    assert [u.reason for u in report.unresolved] == ["url", "url", "url", "missing"]
    assert report.unresolved[1].label == "Nobody - Nothing"
    xspf = ('<playlist xmlns="http://xspf.org/ns/0/"><trackList>'
            "<track><location>http://example.com/x.ogg</location><creator>Slayer</creator>"
            "<title>Angel of Death</title></track></trackList></playlist>")
    assert import_playlist_file(db, _write(tmp_path / "u.xspf", xspf)).unresolved[0].reason == "url"


def test_duplicate_entries_kept_or_skipped(db, library, tmp_path) -> None:
    root, ids = library
    line = f"{root}/Slayer/Reign/01 Angel of Death.mp3\n"
    path = _write(tmp_path / "d.m3u", line * 3)
    kept = import_playlist_file(db, path)
    assert kept.duplicates == 2 and len(PlaylistRepository(db).track_ids(kept.playlist_id)) == 3
    skipped = import_playlist_file(db, path, skip_duplicates=True)
    assert PlaylistRepository(db).track_ids(skipped.playlist_id) == [ids["Angel of Death"]]


def test_windows_paths_and_moved_files(db, library, tmp_path) -> None:
    _, ids = library
    text = ("C:\\Users\\me\\Music\\Björk\\Post\\02 Hyperballad.mp3\r\n"
            "\\\\nas\\share\\Miles Davis\\Kind of Blue\\01 So What.flac\r\n"
            "#EXTINF:1,Slayer - Angel of Death\r\nD:\\old\\renamed.mp3\r\n"
            "E:\\x\\01 So What.flac\r\n")  # two library files have this name: ambiguous
    report = import_playlist_file(db, _write(tmp_path / "w.m3u", text))
    assert (report.by_moved_path, report.by_tags) == (2, 1)
    assert [u.reason for u in report.unresolved] == ["ambiguous"]
    assert PlaylistRepository(db).track_ids(report.playlist_id) == [
        ids["Hyperballad"], ids["So What"], ids["Angel of Death"]]


def test_pls_with_wrong_number_of_entries(db, library, tmp_path) -> None:
    root, ids = library
    text = (f"[playlist]\r\nNumberOfEntries=7\r\nFile2={root}/Björk/Post/02 Hyperballad.mp3\r\n"
            f"File1={root}/Slayer/Reign/01 Angel of Death.mp3\r\nTitle1=Slayer - Angel of Death\r\n"
            "Length1=291\r\nVersion=2\r\n")
    report = import_playlist_file(db, _write(tmp_path / "p.pls", text))
    assert any("NumberOfEntries says 7" in w for w in report.warnings)
    assert PlaylistRepository(db).track_ids(report.playlist_id) == [ids["Angel of Death"], ids["Hyperballad"]]


XXE = ('<?xml version="1.0"?>\n<!DOCTYPE playlist [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
       '<playlist xmlns="http://xspf.org/ns/0/"><title>&xxe;</title><trackList/></playlist>')
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
          + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
          + ']>\n<playlist xmlns="http://xspf.org/ns/0/"><title>&lol9;</title></playlist>')


@pytest.mark.parametrize("text,encoding", [(XXE, "utf-8"), (LAUGHS, "utf-8"), (XXE, "utf-16"),
                                           (XXE.replace("DOCTYPE", "doctype"), "utf-8"),
                                           ('<playlist><!ENTITY x "y"></playlist>', "utf-8")])
def test_xspf_with_entities_is_refused(db, library, tmp_path, text, encoding) -> None:
    with pytest.raises(PlaylistFileError, match="DOCTYPE or entities"):
        read_playlist_file(_write(tmp_path / "evil.xspf", text, encoding))


def test_a_100000_entry_m3u(db, library, tmp_path) -> None:
    root, ids = library
    lines = ["#EXTM3U"]
    for i in range(100_000):
        lines += [f"#EXTINF:1,Artist - Song {i}", f"{root}/Slayer/Reign/01 Angel of Death.mp3"
                  if i % 10 == 0 else f"missing/{i}.mp3"]
    report = import_playlist_file(db, _write(tmp_path / "big.m3u", "\n".join(lines)))
    assert (report.entries, report.resolved, len(report.unresolved)) == (100_000, 10_000, 90_000)
    assert len(PlaylistRepository(db).track_ids(report.playlist_id)) == 10_000


@pytest.mark.parametrize("fmt", ["m3u", "m3u8", "pls", "xspf"])
@pytest.mark.parametrize("relative", [False, True])
def test_export_import_round_trip_keeps_order(db, library, tmp_path, fmt, relative) -> None:
    root, ids = library
    repo = PlaylistRepository(db)
    playlist = repo.create("Round trip")
    order = [ids["Angel of Death"], ids["Hyperballad"], ids["So What"], ids["Angel of Death"]]
    repo.add(playlist.id, order)
    target = tmp_path / "out" / f"list.{fmt}"
    target.parent.mkdir()
    written = export_playlist(db, playlist, target, relative_to=str(target.parent) if relative else None)
    assert written == 4
    text = target.read_text(encoding="utf-8")
    assert (str(root) in text) != relative or fmt == "xspf"
    report = import_playlist_file(db, target, name="Back")
    assert report.unresolved == [] and repo.track_ids(report.playlist_id) == order
    assert report.by_path == 4  # found where the file says, not guessed from tags


@pytest.mark.parametrize("fmt", ["m3u8", "xspf", "pls"])
def test_round_trip_resolves_moved_files(db, library, tmp_path, fmt) -> None:
    root, ids = library
    repo = PlaylistRepository(db)
    playlist = repo.create("Before the move")
    repo.add(playlist.id, [ids["Hyperballad"], ids["Angel of Death"]])
    target = tmp_path / f"list.{fmt}"
    export_playlist(db, playlist, target)
    # the library moved to another disk; one file was renamed too (the scanner keeps ids)
    db.execute("UPDATE track SET path = replace(path, ?, '/mnt/new')", (str(root),))
    db.execute("UPDATE track SET path = '/mnt/new/renamed.mp3' WHERE id = ?", (ids["Angel of Death"],))
    report = import_playlist_file(db, target)
    assert (report.by_moved_path, report.by_tags) == (1, 1)
    assert repo.track_ids(report.playlist_id) == [ids["Hyperballad"], ids["Angel of Death"]]


def test_export_survives_control_characters_and_non_utf8_file_names(db, tmp_path) -> None:
    import os

    odd = os.fsdecode(b"/music/caf\xe9.mp3")  # a Latin-1 file name on a UTF-8 system
    ids = add_named(db, [(odd, "Art\x01ist", "Ti\x0btle", ""), ("/music/ok.mp3", "A", "B", "")])
    repo = PlaylistRepository(db)
    playlist = repo.create("Odd")
    repo.add(playlist.id, [ids["Ti\x0btle"], ids["B"]])
    for fmt in ("m3u8", "pls", "xspf"):
        target = tmp_path / f"odd.{fmt}"
        assert export_playlist(db, playlist, target) == 2
        assert b"caf\xe9" in target.read_bytes() or b"caf%E9" in target.read_bytes()
    report = import_playlist_file(db, tmp_path / "odd.xspf")  # URI-encoded bytes resolve again
    assert repo.track_ids(report.playlist_id) == [ids["Ti\x0btle"], ids["B"]]


@pytest.mark.parametrize("fmt", ["m3u8", "pls", "xspf"])
@pytest.mark.parametrize("relative", [False, True])
def test_a_line_break_in_a_file_name_does_not_split_the_entry(db, tmp_path, fmt, relative) -> None:
    root = tmp_path / "music"
    odd = str(root / "Odd" / "line\nbreak.mp3")
    ids = add_named(db, [(odd, "Odd", "Line Break", "Pop"),
                         (str(root / "Plain" / "b.mp3"), "Plain", "Plain", "Pop")])
    repo = PlaylistRepository(db)
    playlist = repo.create("Odd")
    repo.add(playlist.id, [ids["Line Break"], ids["Plain"]])
    target = tmp_path / f"odd.{fmt}"
    export_playlist(db, playlist, target, relative_to=str(tmp_path) if relative else None)
    if fmt != "xspf":
        assert not any(line.startswith("break.mp3") for line in target.read_text("utf-8").splitlines())
    report = import_playlist_file(db, target, name="Back")
    assert report.entries == 2 and report.unresolved == []
    assert repo.track_ids(report.playlist_id) == [ids["Line Break"], ids["Plain"]]
