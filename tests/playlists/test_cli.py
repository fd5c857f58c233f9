from __future__ import annotations

import json

from player.cli import main
from tests.playlists.helpers import add_listens, add_named


def _run(capsys, db, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", db.path, "playlist", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_playlist_verbs_end_to_end(db, capsys, tmp_path) -> None:
    ids = add_named(db, [("/m/a.mp3", "Miles", "So What", "Jazz"),
                         ("/m/b.mp3", "Slayer", "Angel", "Metal"),
                         ("/m/c.mp3", "Monk", "Misterioso", "Jazz")])
    add_listens(db, ids["Misterioso"], plays=3, days_ago=0.01)
    code, out, _ = _run(capsys, db, "create", "Mix", "--json")
    assert code == 0
    mix = json.loads(out)["id"]
    assert _run(capsys, db, "add", "Mix", str(ids["Angel"]), "--search", "jazz")[0] == 0
    _, out, _ = _run(capsys, db, "show", "mix", "--json")
    shown = json.loads(out)
    assert [e["title"] for e in shown["entries"]] == ["Angel", "So What", "Misterioso"]
    assert _run(capsys, db, "move", str(mix), "3", "1")[0] == 0
    assert _run(capsys, db, "remove", "Mix", "2")[0] == 0
    _, out, _ = _run(capsys, db, "show", "Mix", "--json")
    assert [e["title"] for e in json.loads(out)["entries"]] == ["Misterioso", "So What"]

    target = tmp_path / "mix.m3u8"
    assert _run(capsys, db, "export", "Mix", str(target))[0] == 0
    code, out, _ = _run(capsys, db, "import", str(target), "--name", "Again")
    assert code == 0 and "2 of 2" in out

    code, out, _ = _run(capsys, db, "smart", "Jazz played", "--rule", "genre contains jazz",
                        "--rule", "play_count > 0", "--sort", "play_count", "--desc", "--json")
    assert code == 0 and json.loads(out)["tracks"] == 1

    _, out, _ = _run(capsys, db, "list", "--json")
    names = {p["name"]: p for p in json.loads(out)}
    assert {"Liked Songs", "Most played", "Recently added", "Never played",
            "Forgotten favourites", "Mix", "Again", "Jazz played"} <= set(names)
    assert names["Mix"]["tracks"] == 2 and names["Most played"]["tracks"] == 1

    assert _run(capsys, db, "delete", "Again")[0] == 0
    code, _, err = _run(capsys, db, "show", "Again")
    assert code == 2 and "no playlist" in err
    assert _run(capsys, db, "restore", "Again")[0] == 0
    assert _run(capsys, db, "show", "Again")[0] == 0


def test_bad_input_gives_a_message_not_a_traceback(db, capsys, tmp_path) -> None:
    code, _, err = _run(capsys, db, "smart", "Bad", "--rule", "colour is red")
    assert code == 2 and "Unknown field" in err
    code, _, err = _run(capsys, db, "import", str(tmp_path / "nope.m3u"))
    assert code == 2 and "Cannot read the playlist" in err
    (tmp_path / "evil.xspf").write_text('<!DOCTYPE x [<!ENTITY a SYSTEM "file:///etc/passwd">]><playlist/>')
    code, _, err = _run(capsys, db, "import", str(tmp_path / "evil.xspf"))
    assert code == 2 and "DOCTYPE" in err
    code, _, err = _run(capsys, db, "remove", "Liked Songs", "1")
    assert code == 0
    code, _, err = _run(capsys, db, "sort", "Most played", "title")
    assert code == 2 and "not edited by hand" in err
