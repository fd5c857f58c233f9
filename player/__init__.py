"""Encore: a local-first music player with an on-device hybrid recommender."""

__version__ = "0.1.0"
APP_NAME = "Encore"
LICENCE = "GPL-3.0-or-later"  # as in pyproject.toml (tests/packaging checks they agree)
