from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.factories import make_db

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def db(tmp_path: Path):
    database = make_db(tmp_path)
    yield database
    database.close()
