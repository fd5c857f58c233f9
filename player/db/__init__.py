"""The only home of peewee: connection, schema migrations and repositories.

Repositories return player.core dataclasses; peewee rows never leave this package.
"""

from player.db.connection import Database, open_database

__all__ = ["Database", "open_database"]
