"""The only home of mutagen: read_tags(path) -> TrackTags, and cover art."""

from player.tags.reader import read_tags

__all__ = ["read_tags"]
