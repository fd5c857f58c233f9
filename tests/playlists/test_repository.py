from __future__ import annotations

import pytest

from player.db.playlists import PlaylistError, PlaylistRepository, TrackRatingRepository
from tests.factories import add_tracks


def test_create_add_reorder_remove_and_total_duration(db) -> None:
    ids = add_tracks(db, 5)
    repo = PlaylistRepository(db)
    playlist = repo.create("  Road   trip ")
    assert playlist.name == "Road trip"
    assert repo.add(playlist.id, ids[:3]) == 3
    repo.add(playlist.id, [ids[4]], position=0)
    assert repo.track_ids(playlist.id) == [ids[4], ids[0], ids[1], ids[2]]
    assert repo.move(playlist.id, [0, 1], 4) == [2, 3]
    assert repo.track_ids(playlist.id) == [ids[1], ids[2], ids[4], ids[0]]
    assert repo.move(playlist.id, [3], 0) == [0]
    assert repo.track_ids(playlist.id) == [ids[0], ids[1], ids[2], ids[4]]
    assert repo.remove_positions(playlist.id, [1, 2]) == 2
    assert repo.track_ids(playlist.id) == [ids[0], ids[4]]
    assert repo.total_duration(playlist.id) == pytest.approx(360.0)


def test_duplicate_entries_are_kept_and_unknown_ids_dropped(db) -> None:
    ids = add_tracks(db, 2)
    repo = PlaylistRepository(db)
    playlist = repo.create("Twice")
    assert repo.add(playlist.id, [ids[0], ids[0], 999_999]) == 2
    assert repo.track_ids(playlist.id) == [ids[0], ids[0]]


def test_rename_duplicate_delete_and_undo(db) -> None:
    ids = add_tracks(db, 3)
    repo = PlaylistRepository(db)
    playlist = repo.create("Mine")
    repo.add(playlist.id, ids)
    copy = repo.duplicate(playlist.id)
    assert copy.name == "Mine (copy)" and repo.track_ids(copy.id) == ids
    repo.rename(playlist.id, "Ours")
    repo.delete(playlist.id)
    assert [p.name for p in repo.all()] == ["Mine (copy)"]
    assert repo.get(playlist.id) is None
    repo.restore(playlist.id)
    assert repo.find("ours").id == playlist.id
    assert repo.track_ids(playlist.id) == ids  # nothing lost by delete + undo
    repo.delete(playlist.id)
    assert repo.purge_deleted() == 1
    assert repo.get(playlist.id, include_deleted=True) is None
    with pytest.raises(PlaylistError):
        repo.rename(playlist.id, "gone")
    with pytest.raises(PlaylistError):
        repo.create("   ")


def test_sort(db) -> None:
    ids = add_tracks(db, 4)
    repo = PlaylistRepository(db)
    playlist = repo.create("Sorted")
    repo.add(playlist.id, list(reversed(ids)))
    repo.sort(playlist.id, "title")
    titles = [t.title for t in repo.tracks(playlist.id)]
    assert titles == sorted(titles, key=str.casefold)
    repo.sort(playlist.id, "title", descending=True)
    assert [t.title for t in repo.tracks(playlist.id)] == list(reversed(titles))
    with pytest.raises(PlaylistError):
        repo.sort(playlist.id, "colour")


def test_liked_songs_is_backed_by_feedback(db) -> None:
    ids = add_tracks(db, 3)
    repo = PlaylistRepository(db)
    liked = repo.liked()
    assert repo.liked().id == liked.id  # created once
    db.execute("INSERT INTO track_feedback (track_id, liked, banned, updated_at) VALUES (?, 1, 1, 5)",
               (ids[2],))
    repo.add(liked.id, [ids[0]])
    assert set(repo.track_ids(liked.id)) == {ids[0], ids[2]}
    assert repo.track_ids(liked.id)[0] == ids[0]  # most recently liked first
    repo.remove_positions(liked.id, [1])
    assert repo.track_ids(liked.id) == [ids[0]]
    # unliking keeps the ban
    assert db.scalar("SELECT banned FROM track_feedback WHERE track_id = ?", (ids[2],)) == 1
    with pytest.raises(PlaylistError):
        repo.delete(liked.id)
    with pytest.raises(PlaylistError):
        repo.move(liked.id, [0], 1)


def test_all_track_lists_gives_user_playlists_only(db) -> None:
    ids = add_tracks(db, 4)
    repo = PlaylistRepository(db)
    first, second, gone = repo.create("A"), repo.create("B"), repo.create("C")
    repo.add(first.id, [ids[0], ids[1]])
    repo.add(second.id, [ids[3], ids[2], ids[1]])
    repo.add(gone.id, [ids[0]])
    repo.delete(gone.id)
    repo.create("Smart", "smart", '{"match": "all", "rules": []}')
    repo.add(repo.liked().id, [ids[0]])
    assert repo.all_track_lists() == [[ids[0], ids[1]], [ids[3], ids[2], ids[1]]]


def test_ratings(db) -> None:
    ids = add_tracks(db, 1)
    ratings = TrackRatingRepository(db)
    assert ratings.get(ids[0]) == 0
    ratings.set(ids[0], 4)
    assert ratings.get(ids[0]) == 4
    with pytest.raises(PlaylistError):
        ratings.set(ids[0], 6)
