"""Importing exported listening histories into the database, with a report.

One logical transaction per import (rows staged aside, copied in hidden, shown at once): a
failure, a cancel or kill -9 leaves the history as it was. Re-importing
adds nothing (listen.origin_key is UNIQUE). Rows stream from the readers in batches, so memory
stays flat however long the history is; only the distinct tracks are held.
"""

from __future__ import annotations

import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from player.core import rules
from player.core.errors import KnownError
from player.core.models import ScanReport
from player.db.connection import Database
from player.db.imports import (
    FLAG_EARLY_SKIP,
    FLAG_PLAY,
    FLAG_REPEAT,
    FLAG_SKIP,
    BatchWriter,
    ImportRepository,
)
from player.db.settings import SettingsRepository
from player.history.import_recovery import discard_unfinished_imports
from player.history.importers import (
    FORMATS,
    ImportedListen,
    ImportFormatError,
    Rejected,
    SkippedFile,
    detect_format,
    read_rows,
)
from player.history.matching import (
    LibraryEntry,
    LibraryIndex,
    match_key,
    normalise_artist,
    normalise_title,
    primary_artist,
)
from player.history.owner import this_process

BATCH = 5000
PROGRESS_EVERY = 10_000
EXAMPLES = 20
REMATCH_STAMP = "import.rematch_stamp"
PRUNE_PLAYS = 4096  # tracks' last plays kept while importing in order, before dropping old ones
# Other services' end reasons, in Encore's words (rules.END_REASONS).
_END_REASONS = {
    "trackdone": "finished", "fwdbtn": "next", "backbtn": "previous", "clickrow": "chose_another",
    "endplay": "stopped", "logout": "app_quit", "unexpected-exit": "crash_recovered",
    "unexpected-exit-while-paused": "crash_recovered", "trackerror": "error", "skipped": "next",
}


class ImportCancelled(KnownError):
    """The user stopped the import; nothing was written."""


@dataclass(frozen=True, slots=True)
class ImportProgress:
    rows: int  # rows read so far
    file_index: int
    files: int
    current: str
    written: int = 0  # once every row is read: rows copied into the library, of to_write
    to_write: int = 0


@dataclass(slots=True)
class ImportReport:
    """What an import did. rows_read = imported + duplicates + not_music + rejected.

    duplicates = already_imported + twice_in_files + from_other_exports: rows that were a
    listen already imported from the same kind of export (a re-import), a listen these very
    files hold twice (identical rows), or a listen already there from another export (another
    kind, e.g. Spotify account data against extended history, or another time zone).
    """

    files: list[str] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)
    rows_read: int = 0
    imported: int = 0
    duplicates: int = 0
    already_imported: int = 0
    twice_in_files: int = 0
    from_other_exports: int = 0
    not_music: int = 0
    rejected: int = 0
    rejected_reasons: dict[str, int] = field(default_factory=dict)
    rejected_examples: list[tuple[str, str]] = field(default_factory=list)
    skipped_files: list[tuple[str, str]] = field(default_factory=list)
    music_listens: int = 0
    matched: int = 0
    matched_by: dict[str, int] = field(default_factory=dict)
    ambiguous: list[tuple[str, str, int]] = field(default_factory=list)  # artist, title, candidates
    top_unmatched_artists: list[tuple[str, int]] = field(default_factory=list)
    users: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def matched_percent(self) -> float:
        return 100.0 * self.matched / self.music_listens if self.music_listens else 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["matched_percent"] = round(self.matched_percent, 2)
        return data


ProgressFn = Callable[[ImportProgress], bool | None]


def import_files(db: Database, paths: Sequence[str | Path], format: str = "auto",
                 tz: str | None = None, progress: ProgressFn | None = None) -> ImportReport:
    """Import the exports at paths (files or zips). Returns the report; raises KnownError."""
    started = time.perf_counter()
    report = ImportReport(files=[str(p) for p in paths])
    for path in paths:  # fail on an unreadable or unknown file before writing anything
        found = detect_format(path)
        if found == "unknown" and format == "auto":
            raise ImportFormatError(f"{path} is not a listening history Encore knows.",
                                    f"Supported: {', '.join(FORMATS)}.")
        report.formats[str(path)] = found
    discard_unfinished_imports(db, refuse_live=True)
    run = _ImportRun(db, report, progress, len(paths))
    # Rows are staged outside the library (no lock held while parsing: playback keeps
    # logging), then copied in by short transactions as rows hidden from the history, and
    # shown by one last short transaction: all or nothing (db/import_runs.py).
    run.writer = BatchWriter(db, run.repo.clock)
    run.session_base = run.writer.session_base
    try:
        for number, path in enumerate(paths, 1):
            run.current = (number, str(path))
            run.consume(read_rows(path, format, tz))
        run.flush()
        report.imported = run.writer.swap(this_process(), run.tell_writing)
        assert run.writer.run is not None
        run_id = run.writer.run.id
        run.finish()
        # Rows with one origin key (the same listen at the export's resolution): identical
        # rows in these files, else already imported. Then the same listens from other exports.
        twice = _repeated(run.key_hashes)
        whole = len(run.kinds) > 1  # e.g. Spotify account data and extended history together
        same = run.repo.drop_same_listens(run_id, whole_import=whole)
        report.imported -= sum(same)
        report.twice_in_files = twice + same.this_import
        report.from_other_exports = same.other_export
        report.duplicates = report.music_listens - report.imported
        # The rest were here before: a re-import (same.same_kind: keyed before issue 15).
        report.already_imported = (report.duplicates - report.twice_in_files
                                   - report.from_other_exports)
        # Rows that came in start order carry their sessions and repeats already; otherwise
        # (Last.fm exports are newest first, merges with listens already there) one SQL pass.
        first = run.first_start
        in_order = run.in_order and first is not None and not sum(same)
        span = (first, run.max_heard) if in_order and first is not None else None
        run.repo.assign_sessions(0, rules.SESSION_GAP_S, rules.REPEAT_WINDOW_S, span, run=run_id)
        run._tell()  # the last chance to cancel
        with run.writer.publish():
            run.repo.link(run.links)
            run.repo.publish_session_changes()
    except BaseException:
        run.writer.abort(run.repo)
        raise
    if SettingsRepository(db).get(REMATCH_STAMP) is None:
        _save_rematch_stamp(db)  # everything was just matched against this library
    else:
        rematch_external(db)  # earlier imports' unmatched tracks vs tracks added since
    report.seconds = time.perf_counter() - started
    return report


class _ImportRun:
    """The state of one import: the library index, known external tracks, the current batch."""

    def __init__(self, db: Database, report: ImportReport, progress: ProgressFn | None, files: int) -> None:
        self.repo = ImportRepository(db)
        self.report = report
        self.progress = progress
        self.files = files
        self.current = (0, "")
        self.index = LibraryIndex(LibraryEntry(*row) for row in self.repo.library_rows())
        # (artist, title, album) as spelled -> (external track, library track); folded: the same
        # case-insensitively, so one track is one external track whatever the capitalisation
        # (PRODUCT.md; overlapping exports differ in it). The hot loop reads the exact spelling.
        self.externals = self.repo.external_ids()
        self.folded = {_fold(*key): value for key, value in self.externals.items()}
        self.retried: set[int] = set()
        self.links: list[tuple[int, int]] = []
        self.writer: BatchWriter | None = None
        self.batch: list[tuple[Any, ...]] = []
        self.unmatched: dict[str, int] = {}
        self.users: dict[str, int] = {}
        self.reasons: Counter[str] = Counter()
        self.methods: Counter[str] = Counter()
        # Sessions and repeats while rows come in start order (see _listen_row).
        self.in_order = True
        self.session_base = 0
        self.ordinal = 0
        self.first_start: float | None = None
        self.last_start = self.max_heard = float("-inf")
        self.last_heard: float | None = None
        self.last_play: dict[int, float] = {}  # track id, or -external id -> its last play's end
        self.prune_at = PRUNE_PLAYS
        self.key_hashes = array("q")  # hash of each music row's origin key (8 bytes a row)
        self.kinds: set[str] = set()  # kinds of export read: origin keys' first 8 characters

    def consume(self, rows: Iterable[ImportedListen | Rejected | SkippedFile]) -> None:
        """The hot loop (2,000,000 rows): locals and one dict lookup per known track."""
        report, externals, users, unmatched = self.report, self.externals, self.users, self.unmatched
        batch = self.batch
        key_hashes, kinds_add = self.key_hashes.append, self.kinds.add
        read = matched = music = 0
        for row in rows:
            if type(row) is ImportedListen and row.is_music:
                read += 1
                music += 1
                known = externals.get((row.artist, row.title, row.album))
                if known is None or (known[1] is None and known[0] not in self.retried):
                    known = self._resolve(row, known)
                track_id = known[1]
                users[row.user] = users.get(row.user, 0) + 1
                if track_id is None:
                    unmatched[row.artist] = unmatched.get(row.artist, 0) + 1
                else:
                    matched += 1
                batch.append(self._listen_row(row, track_id, known[0]))
                key = row.origin_key
                key_hashes(hash(key))
                kinds_add(key[:8])  # the kind of export: "spotify-" account, "spotify:" extended..
                if len(batch) >= BATCH:
                    self.flush()
                    batch = self.batch
            elif isinstance(row, SkippedFile):
                report.skipped_files.append((row.where, row.reason))
                continue
            else:
                read += 1
                self._other(row)
            if read % PROGRESS_EVERY == 0:
                self._count(read, matched, music)
                read = matched = music = 0
                self._tell()
        self._count(read, matched, music)
        self._tell()

    def _count(self, read: int, matched: int, music: int) -> None:
        self.report.rows_read += read
        self.report.matched += matched
        self.report.music_listens += music

    def _other(self, row: ImportedListen | Rejected) -> None:
        report = self.report
        if isinstance(row, Rejected):
            report.rejected += 1
            self.reasons[row.reason if "timestamp" not in row.reason else _kind(row.reason)] += 1
            if len(report.rejected_examples) < EXAMPLES:
                report.rejected_examples.append((row.where, row.reason))
        else:
            report.not_music += 1

    def _resolve(self, listen: ImportedListen, known: tuple[int, int | None] | None) -> tuple[int, int | None]:
        """(external track, library track or None) for a new track, or a retry of an unmatched one."""
        key = (listen.artist, listen.title, listen.album)
        folded = _fold(*key)
        if known is None and (known := self.folded.get(folded)) is not None:
            self.externals[key] = known  # another spelling of a known track
            if known[1] is not None or known[0] in self.retried:
                return known
        if known is not None:  # unmatched by an earlier import; the library may have grown
            external_id = known[0]
            self.retried.add(external_id)
            track_id = self._match(listen)
            if track_id is not None:
                self.links.append((external_id, track_id))
                self.externals[key] = self.folded[folded] = (external_id, track_id)
            return external_id, track_id
        track_id = self._match(listen)
        assert self.writer is not None
        external_id = self.writer.add_external(listen.artist, listen.title, listen.album, listen.mbid,
                                               match_key(listen.artist, listen.title), track_id)
        self.externals[key] = self.folded[folded] = (external_id, track_id)
        return external_id, track_id

    def _match(self, listen: ImportedListen) -> int | None:
        found = self.index.match(listen.artist, listen.title, listen.album, listen.mbid)
        self.methods[found.method] += 1
        if found.ambiguous and len(self.report.ambiguous) < EXAMPLES:
            self.report.ambiguous.append((listen.artist, listen.title, found.candidates))
        return found.track_id

    def flush(self) -> None:
        if self.batch and self.writer is not None:
            self.writer.add_listens(self.batch)
            self.batch = []

    def finish(self) -> None:
        report = self.report
        report.top_unmatched_artists = Counter(self.unmatched).most_common(10)
        report.users = dict(Counter(self.users).most_common(20))
        report.rejected_reasons = dict(self.reasons.most_common())
        report.matched_by = {k: v for k, v in self.methods.items() if k != "none"}

    def _listen_row(self, listen: ImportedListen, track_id: int | None, external_id: int) -> tuple[Any, ...]:
        """The listen's row (imports.ROW_FIELDS), flags per PRODUCT.md (definitions).

        Session and repeat are computed here while rows come in start order; a row out of
        order stops that (0, 0 from then on) and assign_sessions recomputes them all.
        """
        ms = listen.ms_played
        duration = listen.duration_ms
        said = _END_REASONS.get(listen.end_reason, "imported") if listen.end_reason else None
        reason = said or ("next" if listen.skipped else "imported")
        flags_ = rules.classify_imported(ms, duration, said, listen.skipped)
        is_play, is_skip, early = flags_.is_play, flags_.is_skip, flags_.is_early_skip
        start = listen.started_at
        heard_at = start + (ms if ms is not None else duration or 0) / 1000.0
        session, repeat = 0, False
        if self.in_order:
            if start < self.last_start:
                self.in_order = False
            else:
                if self.first_start is None:
                    self.first_start = start
                self.last_start = start
                if rules.is_new_session(start, self.last_heard):
                    self.ordinal += 1
                session = self.session_base - self.ordinal
                key = track_id if track_id is not None else -external_id
                repeat = rules.is_repeat(start, self.last_play.get(key))
                if is_play:
                    last_play = self.last_play
                    last_play[key] = heard_at
                    if len(last_play) > self.prune_at:  # only plays within the window matter
                        cutoff = start - rules.REPEAT_WINDOW_S
                        self.last_play = {k: v for k, v in last_play.items() if v > cutoff}
                        self.prune_at = max(PRUNE_PLAYS, 2 * len(self.last_play))
                self.last_heard = heard_at
                if heard_at > self.max_heard:
                    self.max_heard = heard_at
        flags = ((FLAG_PLAY if is_play else 0) | (FLAG_SKIP if is_skip else 0)
                 | (FLAG_EARLY_SKIP if early else 0) | (FLAG_REPEAT if repeat else 0))
        return (track_id, external_id, start, listen.utc_offset_min, ms, duration, reason, heard_at,
                flags, listen.origin, listen.origin_key, session)

    def _tell(self, written: int = 0, to_write: int = 0) -> None:
        if self.progress is None:
            return
        number, name = self.current
        if self.progress(ImportProgress(self.report.rows_read, number, self.files, name,
                                        written, to_write)) is False:
            raise ImportCancelled("The import was cancelled; nothing was imported.")

    def tell_writing(self, written: int, to_write: int) -> None:
        """Progress while the rows are copied into the library (they are all read)."""
        self._tell(written, to_write)


def _repeated(hashes: array[int]) -> int:
    """How many entries repeat an earlier one (sorting 8 bytes a row: bounded memory)."""
    import numpy as np  # here: the CLI starts without numpy

    keys = np.frombuffer(hashes, dtype=np.int64) if len(hashes) else np.zeros(0, np.int64)
    return int(keys.shape[0] - np.unique(keys).shape[0])


def _fold(artist: str, title: str, album: str) -> tuple[str, str, str]:
    return artist.casefold(), title.casefold(), album.casefold()


def _kind(reason: str) -> str:
    """Group timestamp problems in the report ('before 2000', 'in the future', 'unreadable')."""
    for kind in ("before 2000", "in the future", "unreadable"):
        if kind in reason:
            return f"timestamp {kind}"
    return reason


# -- re-matching when the library grows ------------------------------------------------------

def link_imported_listens(db: Database, report: ScanReport) -> int:
    """After a scan that brought new or changed tracks: link imported listens to them."""
    if report.added or report.updated or report.moved:
        return rematch_external(db)
    return 0


def rematch_external(db: Database, full: bool = False) -> int:
    """Link unmatched external tracks to library tracks added since the last time.

    Cheap by default: does nothing when the library did not change, and otherwise looks up
    only the new tracks' normalised keys (indexed). full=True re-runs the whole matcher
    (MBID, album tie-break, fuzzy) over every unmatched external track. Returns links made.
    """
    repo = ImportRepository(db)
    stamp = list(repo.library_stamp())
    last = SettingsRepository(db).get(REMATCH_STAMP)
    if not full and last == stamp:
        return 0
    if repo.count_unmatched() == 0:
        _save_rematch_stamp(db)
        return 0
    if full or not isinstance(last, list) or len(last) != 2:
        pairs = _rematch_all(repo)
    else:
        pairs = _rematch_new(repo, int(last[0]))
    linked = repo.link(pairs)
    _save_rematch_stamp(db)
    return linked


def _rematch_all(repo: ImportRepository) -> list[tuple[int, int]]:
    index = LibraryIndex(LibraryEntry(*row) for row in repo.library_rows())
    pairs = []
    for external_id, artist, title, album, mbid in repo.unmatched_externals():
        found = index.match(artist, title, album, mbid)
        if found.track_id is not None:
            pairs.append((external_id, found.track_id))
    return pairs


def _rematch_new(repo: ImportRepository, after_id: int) -> list[tuple[int, int]]:
    by_key: dict[str, int] = {}
    for track_id, artist, title, _album, _mbid in repo.library_rows(after_id):
        norm_title = normalise_title(title)
        for norm_artist in (normalise_artist(artist), primary_artist(artist)):
            by_key.setdefault(f"{norm_artist}\x1f{norm_title}", track_id)
    if not by_key:
        return []
    return [(ext, by_key[key]) for ext, key in repo.unmatched_by_keys(list(by_key))]


def _save_rematch_stamp(db: Database) -> None:
    SettingsRepository(db).set(REMATCH_STAMP, list(ImportRepository(db).library_stamp()))


# -- the report in words (CLI and GUI) -------------------------------------------------------

def report_summary(report: ImportReport) -> str:
    """One sentence: what was added, and why the rest was not (a re-import, the same listen
    twice in the files, or already there from another export)."""
    added = f"{report.imported:,} {'listen' if report.imported == 1 else 'listens'} added to your history"
    why = [text for count, text in (
        (report.already_imported, f"{report.already_imported:,} already imported before"),
        (report.from_other_exports,
         f"{report.from_other_exports:,} already there from another export"),
        (report.twice_in_files, f"{report.twice_in_files:,} in these files twice (kept once)"),
    ) if count]
    return f"Done: {added}" + (f"; {', '.join(why)}." if why else ".")


def report_lines(report: ImportReport) -> list[str]:
    """The report as short lines for people."""
    lines = [
        f"Rows read: {report.rows_read:,}",
        f"Imported: {report.imported:,} new listens",
    ]
    # Each kind of "already there" said apart, and only when it happened.
    lines += [text for count, text in (
        (report.already_imported, f"Already imported (a re-import): {report.already_imported:,}"),
        (report.from_other_exports,
         f"Already there from another export or time zone: {report.from_other_exports:,}"),
        (report.twice_in_files,
         f"The same listen twice in these files (kept once): {report.twice_in_files:,}"),
    ) if count]
    lines += [
        f"Not music (podcasts, audiobooks): {report.not_music:,}",
        f"Rejected: {report.rejected:,}",
    ]
    lines += [f"    {count:,} × {reason}" for reason, count in list(report.rejected_reasons.items())[:8]]
    if report.music_listens:
        lines.append(f"Matched to your library: {report.matched:,} of {report.music_listens:,} "
                     f"music listens ({report.matched_percent:.1f}%)")
    if report.ambiguous:
        lines.append(f"Ambiguous matches (several library tracks fit): {len(report.ambiguous)}")
    if report.top_unmatched_artists:
        names = ", ".join(f"{artist} ({count:,})" for artist, count in report.top_unmatched_artists[:5])
        lines.append(f"Top artists not in your library: {names}")
    for where, reason in report.skipped_files[:10]:
        lines.append(f"Skipped {where}: {reason}")
    lines.append(f"Took {report.seconds:.1f} s")
    return lines
