"""Playback: the service the GUI and the CLI drive (queue + engine + listen logging)."""
