"""Playlists above the database: smart rules as data, and playlist files of other players."""
