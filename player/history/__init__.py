"""Listening history: the live listen logger, importing other services' histories, matching."""
