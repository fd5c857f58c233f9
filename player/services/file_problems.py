"""Every file Encore could not use, and why: the scanner's (tags, unreadable files and
folders) and the audio analysis's (could not be decoded). File > Files that could not be read
lists these; the status bar counts them."""

from __future__ import annotations

from dataclasses import dataclass

from player.analysis.version import FEATURE_VERSION
from player.db.connection import Database
from player.db.features import FeatureRepository
from player.db.scan_issues import ScanIssueRepository

READING = "Reading the file"
ANALYSIS = "Audio analysis"


@dataclass(frozen=True, slots=True)
class FileProblem:
    path: str
    reason: str
    stage: str  # READING or ANALYSIS
    seen_at: float = 0.0  # 0: not recorded


def files_not_read(db: Database) -> list[FileProblem]:
    """Scan issues first, then files the current analysis version could not decode."""
    scanned = [FileProblem(i.path, i.reason, READING, i.seen_at)
               for i in ScanIssueRepository(db).all()]
    analysed = [FileProblem(path, reason, ANALYSIS)
                for _id, path, reason in FeatureRepository(db).errors(FEATURE_VERSION)]
    return scanned + analysed
