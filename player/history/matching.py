"""Matching another service's (artist, title, album) to a library track. Pure, no database.

Order: recording MBID when both sides have one; then normalised artist + title (album breaks
ties); then a fuzzy title match among the same artist's tracks (or fuzzy artist among artists
sharing a prefix) above a threshold. Several equally good candidates are reported ambiguous.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher, get_close_matches
from functools import lru_cache

FUZZY_CUTOFF = 0.88

_FEAT = re.compile(r"\s*[\(\[]\s*(?:feat\.?|ft\.?|featuring|with)\s[^\)\]]*[\)\]]|\s+(?:feat\.?|ft\.?|featuring)\s.*$", re.I)
_VERSION_WORDS = (
    r"remaster(?:ed)?|live|version|edit|mono|stereo|explicit|clean|bonus(?: track)?|deluxe"
    r"|anniversary|single|album|radio|original mix|digital|re-?recorded|acoustic"
)
# "(Live)", "[Remastered 2011]", "- Remastered 2011", "- 2011 Remaster", "- Live at Wembley"
_SUFFIX = re.compile(
    rf"\s*(?:[\(\[][^\(\)\[\]]*\b(?:{_VERSION_WORDS})\b[^\(\)\[\]]*[\)\]]|\s-\s[^-\(\)\[\]]*\b(?:{_VERSION_WORDS})\b[^-\(\)\[\]]*)\s*$",
    re.I,
)
_MAY_HAVE_SUFFIX = re.compile(r"[\(\[]| - |\bf(?:ea)?t|featuring", re.I)
_TRAILING = "!?.*~ "  # "Song!" and "Song" are one song once suffixes are gone
_PUNCT = re.compile(r"[^\w\s]+")
# Latin/Greek/Cyrillic combining accents (kana voicing marks are letters, not accents: kept).
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_ARTIST_SPLIT = re.compile(r"\s*(?:,|;|&|\bx\b|\bvs\.?|\bfeat\.?|\bft\.?|\bfeaturing\b|\bwith\b)\s*", re.I)


def _fold(text: str) -> str:
    """Lower case, no accents, '&' as 'and', punctuation gone, single spaces."""
    text = text.casefold()
    if "&" in text:
        text = text.replace("&", " and ")
    if not text.isascii():
        text = _MARKS.sub("", unicodedata.normalize("NFKD", text)).replace("\u2019", "")
    return " ".join(_PUNCT.sub(" ", text.replace("'", "")).split())


@lru_cache(maxsize=200_000)
def normalise_title(title: str) -> str:
    """'Song (feat. X) - Remastered 2011' -> 'song'. Falls back to the plain fold if nothing is left."""
    stripped = title.strip().rstrip(_TRAILING)
    if not _MAY_HAVE_SUFFIX.search(stripped):  # most titles: skip the suffix expressions
        return _fold(stripped) or _fold(title) or title.casefold().strip()
    stripped = _FEAT.sub("", stripped)
    for _ in range(3):  # "Song (Live) [Remastered]"
        shorter = _SUFFIX.sub("", stripped)
        if shorter == stripped:
            break
        stripped = shorter
    return _fold(stripped) or _fold(title) or title.casefold().strip()


@lru_cache(maxsize=100_000)
def normalise_artist(artist: str) -> str:
    """'The Beatles' -> 'beatles'; 'A feat. B' -> 'a'; accents and punctuation dropped."""
    folded = _fold(_FEAT.sub("", artist)) or _fold(artist) or artist.casefold().strip()
    return folded[4:] if folded.startswith("the ") and len(folded) > 4 else folded


@lru_cache(maxsize=100_000)
def primary_artist(artist: str) -> str:
    """The first credited artist: 'A, B & C' -> normalised 'a'."""
    first = _ARTIST_SPLIT.split(artist.strip(), maxsplit=1)[0]
    return normalise_artist(first) if first else normalise_artist(artist)


def match_key(artist: str, title: str) -> str:
    """The exact-match key stored with external tracks: normalised artist and title."""
    return f"{normalise_artist(artist)}\x1f{normalise_title(title)}"


@dataclass(frozen=True, slots=True)
class LibraryEntry:
    track_id: int
    artist: str
    title: str
    album: str = ""
    mbid: str = ""


@dataclass(frozen=True, slots=True)
class Match:
    """The library track for an imported listen, how it was found, and whether it was a guess."""

    track_id: int | None
    method: str  # mbid | exact | album | fuzzy | none
    ambiguous: bool = False
    candidates: int = 0


NO_MATCH = Match(None, "none")
Candidate = tuple[int, str, str]  # track id, album, title (as tagged)


class LibraryIndex:
    """The library, indexed for matching; build once per import.

    Building only groups tracks by normalised artist (100,000 tracks: a few tenths of a
    second); an artist's titles are normalised the first time an export names that artist.
    """

    def __init__(self, entries: Iterable[LibraryEntry]) -> None:
        self.by_mbid: dict[str, list[int]] = {}
        self.tracks_by_artist: dict[str, list[Candidate]] = {}  # as tagged, not yet normalised
        self.titles_by_artist: dict[str, dict[str, list[Candidate]]] = {}  # normalised, lazily
        self.artists_by_prefix: dict[str, list[str]] = {}
        self.size = 0
        self._near: dict[str, str | None] = {}
        for entry in entries:
            self.add(entry)

    def add(self, entry: LibraryEntry) -> None:
        self.size += 1
        if entry.mbid:
            self.by_mbid.setdefault(entry.mbid.lower(), []).append(entry.track_id)
        candidate = (entry.track_id, entry.album, entry.title)
        full, primary = normalise_artist(entry.artist), primary_artist(entry.artist)
        for artist in (full,) if full == primary else (full, primary):
            tracks = self.tracks_by_artist.get(artist)
            if tracks is None:
                tracks = self.tracks_by_artist[artist] = []
                self.artists_by_prefix.setdefault(artist[:2], []).append(artist)
            tracks.append(candidate)
            self.titles_by_artist.pop(artist, None)  # rebuilt with this track when next needed

    def titles(self, norm_artist: str) -> dict[str, list[Candidate]] | None:
        """Normalised title -> candidates, for one normalised artist (None: not in the library)."""
        titles = self.titles_by_artist.get(norm_artist)
        if titles is None:
            tracks = self.tracks_by_artist.get(norm_artist)
            if tracks is None:
                return None
            titles = {}
            for candidate in tracks:
                titles.setdefault(normalise_title(candidate[2]), []).append(candidate)
            self.titles_by_artist[norm_artist] = titles
        return titles

    def match(self, artist: str, title: str, album: str = "", mbid: str = "", fuzzy: bool = True) -> Match:
        if mbid and (ids := self.by_mbid.get(mbid.lower())):
            return Match(ids[0], "mbid", len(set(ids)) > 1, len(set(ids)))
        norm_title = normalise_title(title)
        wanted = (album, title)
        for norm_artist in (normalise_artist(artist), primary_artist(artist)):
            titles = self.titles(norm_artist)
            if titles and (candidates := titles.get(norm_title)):
                return _pick(candidates, wanted, "exact")
        return self._fuzzy(artist, norm_title, wanted) if fuzzy else NO_MATCH

    def _fuzzy(self, artist: str, norm_title: str, wanted: tuple[str, str]) -> Match:
        norm_artist = normalise_artist(artist)
        titles = self.titles(norm_artist) or self.titles(primary_artist(artist))
        if titles is None:
            near = self._near_artist(norm_artist)
            titles = self.titles(near) if near is not None else None
            if titles is None:
                return NO_MATCH
            if norm_title in titles:
                return _pick(titles[norm_title], wanted, "fuzzy")
        best = _close_titles(norm_title, titles)
        if not best:
            return NO_MATCH
        found = _pick([c for t in best for c in titles[t]], wanted, "fuzzy")
        return Match(found.track_id, "fuzzy", found.ambiguous or len(best) > 1, found.candidates)

    def _near_artist(self, norm_artist: str) -> str | None:
        """The library artist spelled most like this one (same first two letters), cached."""
        if norm_artist in self._near:
            return self._near[norm_artist]
        bucket = self.artists_by_prefix.get(norm_artist[:2])
        near = get_close_matches(norm_artist, bucket, 1, FUZZY_CUTOFF) if bucket else []
        self._near[norm_artist] = near[0] if near else None
        return self._near[norm_artist]


def _close_titles(norm_title: str, titles: dict[str, list[Candidate]]) -> list[str]:
    """Titles above the cutoff; the top ones when they tie within 0.02."""
    scored = []
    for candidate in titles:
        matcher = SequenceMatcher(None, norm_title, candidate)
        if matcher.real_quick_ratio() >= FUZZY_CUTOFF and matcher.quick_ratio() >= FUZZY_CUTOFF:
            ratio = matcher.ratio()
            if ratio >= FUZZY_CUTOFF:
                scored.append((ratio, candidate))
    if not scored:
        return []
    top = max(score for score, _ in scored)
    return [t for score, t in scored if score >= top - 0.02]


def _pick(candidates: list[Candidate], wanted: tuple[str, str], method: str) -> Match:
    """One track among candidates: the same album, then the same full title, break ties."""
    ids = {c[0] for c in candidates}
    if len(ids) == 1:
        return Match(candidates[0][0], method, False, 1)
    pool = candidates
    for position, value in ((1, _fold(wanted[0])), (2, _fold(wanted[1]))):
        if not value:
            continue
        narrowed = [c for c in pool if _fold(str(c[position])) == value]
        if narrowed:
            pool = narrowed
        if len({c[0] for c in pool}) == 1:
            step = "album" if position == 1 and method == "exact" else method
            return Match(pool[0][0], step, False, len(ids))
    return Match(min(c[0] for c in pool), method, True, len(ids))
