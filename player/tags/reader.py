"""read_tags(path) -> TrackTags for every format mutagen knows, with path fallbacks.

mutagen's exceptions never leave this module: they become TagReadError.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from typing import Any

import mutagen
from mutagen.aac import AAC
from mutagen.ac3 import AC3
from mutagen.aiff import AIFF
from mutagen.apev2 import APEv2
from mutagen.asf import ASF, ASFTags
from mutagen.dsdiff import DSDIFF
from mutagen.dsf import DSF
from mutagen.flac import FLAC
from mutagen.id3 import ID3
from mutagen.monkeysaudio import MonkeysAudio
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4, MP4Tags
from mutagen.musepack import Musepack
from mutagen.oggopus import OggOpus
from mutagen.oggspeex import OggSpeex
from mutagen.oggvorbis import OggVorbis
from mutagen.optimfrog import OptimFROG
from mutagen.tak import TAK
from mutagen.trueaudio import TrueAudio
from mutagen.wave import WAVE
from mutagen.wavpack import WavPack

from player.core.errors import TagReadError
from player.core.models import TrackTags
from player.tags.oversized import SplicedFile, find_splice
from player.tags.path_fallback import PathGuess, guess_from_path

# Field name -> list of text values, common to every tag format after normalisation.
RawTags = dict[str, list[str]]

_ID3_TEXT = {
    "TIT2": "title", "TPE1": "artist", "TALB": "album", "TPE2": "albumartist",
    "TRCK": "tracknumber", "TPOS": "discnumber", "TDRC": "date", "TYER": "date",
    "TCON": "genre", "TCMP": "compilation", "TBPM": "bpm",
}
_ID3_TXXX = {
    "MusicBrainz Album Id": "musicbrainz_albumid",
    "MusicBrainz Artist Id": "musicbrainz_artistid",
    "MusicBrainz Release Track Id": "musicbrainz_releasetrackid",
    "REPLAYGAIN_TRACK_GAIN": "replaygain_track_gain",
    "REPLAYGAIN_TRACK_PEAK": "replaygain_track_peak",
    "REPLAYGAIN_ALBUM_GAIN": "replaygain_album_gain",
    "REPLAYGAIN_ALBUM_PEAK": "replaygain_album_peak",
}
_MP4 = {
    "\xa9nam": "title", "\xa9ART": "artist", "\xa9alb": "album", "aART": "albumartist",
    "\xa9day": "date", "\xa9gen": "genre", "cpil": "compilation", "tmpo": "bpm",
    "\xa9lyr": "lyrics", "covr": "cover", "trkn": "tracknumber", "disk": "discnumber",
}
_ASF = {
    "Title": "title", "Author": "artist", "WM/AlbumTitle": "album",
    "WM/AlbumArtist": "albumartist", "WM/TrackNumber": "tracknumber",
    "WM/PartOfSet": "discnumber", "WM/Year": "date", "WM/Genre": "genre",
    "WM/BeatsPerMinute": "bpm", "WM/Lyrics": "lyrics", "WM/Picture": "cover",
    "MusicBrainz/Track Id": "musicbrainz_trackid", "MusicBrainz/Album Id": "musicbrainz_albumid",
    "MusicBrainz/Artist Id": "musicbrainz_artistid", "WM/IsCompilation": "compilation",
}
# Vorbis-comment and APEv2 keys, lower-cased, that differ from our names.
_ALIASES = {
    "album artist": "albumartist", "album_artist": "albumartist", "track": "tracknumber",
    "disc": "discnumber", "year": "date", "totaltracks": "tracktotal",
    "totaldiscs": "disctotal", "unsyncedlyrics": "lyrics", "tempo": "bpm",
    "metadata_block_picture": "cover", "cover art (front)": "cover", "coverart": "cover",
}
_CODECS = {
    "MP3": "mp3", "EasyMP3": "mp3", "FLAC": "flac", "OggVorbis": "vorbis", "OggOpus": "opus",
    "OggFLAC": "flac", "OggSpeex": "speex", "OggTheora": "theora", "WAVE": "pcm", "AIFF": "pcm",
    "ASF": "wma", "MonkeysAudio": "ape", "WavPack": "wavpack", "Musepack": "musepack",
    "TrueAudio": "tta", "OptimFROG": "ofr", "AAC": "aac", "AC3": "ac3", "DSF": "dsd",
    "DSDIFF": "dsd", "TAK": "tak",
}
# Formats mutagen reads but neither libVLC nor FFmpeg decodes: listed, not stored. (DSD, which
# libVLC 3 cannot decode but FFmpeg can, plays through a converted copy: core.models.
# PLAYED_THROUGH_COPY.)
_NOT_PLAYABLE = {
    "OptimFROG": "OptimFROG audio: its tags are readable but no decoder exists in libVLC/FFmpeg",
}


_NO_GUESS = PathGuess(title="")
_DIGITS = re.compile(r"\d+")
_DECIMAL = re.compile(r"[-+]?\d+(?:[.,]\d+)?")
_GENRE_SEPARATOR = re.compile(r"\s*[;/\x00]\s*")
_ID3_GENRE_NUMBER = re.compile(r"^\((\d+)\)$")
_YEAR = re.compile(r"(1[0-9]{3}|20[0-9]{2})")
_BY_EXTENSION: dict[str, Any] = {
    ".mp3": MP3, ".flac": FLAC, ".ogg": OggVorbis, ".oga": OggVorbis, ".opus": OggOpus,
    ".m4a": MP4, ".m4b": MP4, ".mp4": MP4, ".alac": MP4, ".aac": AAC, ".wav": WAVE,
    ".aif": AIFF, ".aiff": AIFF, ".aifc": AIFF, ".wma": ASF, ".asf": ASF, ".ape": MonkeysAudio,
    ".wv": WavPack, ".mpc": Musepack, ".mp+": Musepack, ".spx": OggSpeex, ".tta": TrueAudio,
    ".ofr": OptimFROG, ".ofs": OptimFROG, ".dsf": DSF, ".dff": DSDIFF, ".tak": TAK, ".ac3": AC3,
    ".eac3": AC3,
}


def read_tags(path: str, root: str | None = None) -> TrackTags:
    """Read one file. Raises TagReadError with a plain reason when it is not readable audio."""
    try:
        audio, big_pictures = _open(path)
    except mutagen.MutagenError as exc:
        if _size(path) == 0:
            raise TagReadError("empty file") from exc
        raise TagReadError(f"not readable audio: {_first_line(exc)}") from exc
    except (OSError, EOFError, ValueError, IndexError, KeyError, TypeError, OverflowError) as exc:
        raise TagReadError(f"cannot read file: {_first_line(exc)}") from exc
    if audio is None:
        reason = "empty file" if _size(path) == 0 else "not a recognised audio format"
        raise TagReadError(reason)
    if type(audio).__name__ in _NOT_PLAYABLE:
        raise TagReadError(_NOT_PLAYABLE[type(audio).__name__])
    info = audio.info
    duration = float(getattr(info, "length", 0.0) or 0.0)
    if duration <= 0:
        raise TagReadError("no audio stream (duration is zero)")
    raw = _raw_tags(audio.tags)
    if big_pictures:
        raw["cover"] = ["1"]  # embedded, only too big to read
    return _normalise(raw, audio, path, root, duration)


def read_raw(path: str) -> RawTags:
    """path's tags by our field names, every value kept (lists are not joined)."""
    if not os.path.exists(path):
        raise TagReadError(f"{os.path.basename(path)}: the file is missing",
                           "Rescan the library to see where it went.")
    try:
        audio, _big_pictures = _open(path)
    except (mutagen.MutagenError, OSError, EOFError, ValueError, IndexError, KeyError,
            TypeError, OverflowError) as exc:
        raise TagReadError(f"cannot read tags: {_first_line(exc)}") from exc
    return _raw_tags(audio.tags) if audio is not None else {}


def _open(path: str) -> tuple[Any, int]:
    """(mutagen's object, embedded pictures left unread as too big: tags/oversized.py).

    The class the extension names first (no format sniffing: ~1.5x faster), else sniff.
    """
    splice = find_splice(path)
    if splice is None:
        return _open_as(path, path), 0
    with SplicedFile(path, splice) as view:  # mutagen reads everything it needs on opening
        return _open_as(path, view), splice.pictures


def _open_as(path: str, source: Any) -> Any:
    kind = _BY_EXTENSION.get(os.path.splitext(path)[1].lower())
    if kind is not None:
        try:
            if not isinstance(source, str):
                source.seek(0)
            audio = kind(source)
            if getattr(audio.info, "length", 0):
                return audio
        except Exception:  # noqa: BLE001 - wrong extension or broken file: let mutagen sniff
            pass
    if not isinstance(source, str):
        source.seek(0)
    return mutagen.File(source)


_DAMAGED = (("id3", "damaged ID3 tag"), ("flac", "damaged FLAC stream"),
            ("ogg", "damaged Ogg stream"), ("mp4", "damaged MP4 container"),
            ("asf", "damaged WMA/ASF file"), ("apev2", "damaged APEv2 tag"),
            ("mp3", "no MPEG audio frames found"), ("wave", "damaged WAV file"),
            ("aiff", "damaged AIFF file"))


def _first_line(exc: BaseException) -> str:
    """mutagen's message, or (when it has none) what kind of data was damaged."""
    text = str(exc).strip()
    if text:
        return text.splitlines()[0][:200]
    module = type(exc).__module__.lower()
    return next((reason for key, reason in _DAMAGED if key in module), "damaged or unsupported file")


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return -1


def _raw_tags(tags: Any) -> RawTags:
    if tags is None:
        return {}
    if isinstance(tags, ID3):
        return _from_id3(tags)
    if isinstance(tags, MP4Tags):
        return _from_mapping(tags.items(), _MP4, _mp4_values)
    if isinstance(tags, ASFTags):
        return _from_mapping(tags.items(), _ASF, _plain_values)
    if isinstance(tags, APEv2):
        return _from_mapping(tags.items(), {}, _ape_values)
    try:  # Vorbis comments: a list of (key, value) pairs
        return _from_mapping(((k, [v]) for k, v in tags), {}, _plain_values)
    except (TypeError, ValueError):
        return {}


def _add(raw: RawTags, key: str, values: Iterable[str]) -> None:
    clean = [v.replace("\x00", "").strip() for v in values]
    clean = [v for v in clean if v]
    if clean:
        raw.setdefault(key, []).extend(clean)


def _from_id3(tags: ID3) -> RawTags:
    raw: RawTags = {}
    for frame in tags.values():
        frame_id = frame.FrameID
        if frame_id in _ID3_TEXT:
            _add(raw, _ID3_TEXT[frame_id], (str(t) for t in frame.text))
        elif frame_id == "TXXX":
            key = _ID3_TXXX.get(frame.desc) or _ID3_TXXX.get(frame.desc.upper())
            if key:
                _add(raw, key, (str(t) for t in frame.text))
        elif frame_id == "UFID" and frame.owner == "http://musicbrainz.org":
            _add(raw, "musicbrainz_trackid", [bytes(frame.data).decode("ascii", "replace")])
        elif frame_id == "APIC":
            raw["cover"] = ["1"]
        elif frame_id in ("USLT", "SYLT"):
            raw["lyrics"] = ["1"]
    return raw


def _from_mapping(
    items: Iterable[tuple[str, Any]], names: dict[str, str], values: Callable[[Any], list[str]]
) -> RawTags:
    raw: RawTags = {}
    for key, value in items:
        name = names.get(key)
        if name is None:
            lower = key.lower()
            if lower.startswith("----:com.apple.itunes:"):
                lower = lower.split(":", 2)[2]
            name = _ALIASES.get(lower, lower).replace(" ", "_")
        if name == "cover":
            raw["cover"] = ["1"]
            continue
        _add(raw, name, values(value))
    return raw


def _plain_values(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [_text(v) for v in items]


def _ape_values(value: Any) -> list[str]:
    if getattr(value, "kind", 0) != 0:  # binary or external item (cover art)
        return []
    return [str(v) for v in value]


def _mp4_values(value: Any) -> list[str]:
    out: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, tuple):  # trkn / disk: (number, total)
            out.append("/".join(str(n) for n in item if n))
        else:
            out.append(_text(item))
    return out


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    inner = getattr(value, "value", value)
    if isinstance(inner, bytes):
        return inner.decode("utf-8", "replace")
    return str(inner)


def _first(raw: RawTags, key: str) -> str:
    values = raw.get(key)
    return values[0] if values else ""


def _number_pair(text: str) -> tuple[int | None, int | None]:
    """'3/12' -> (3, 12); '03' -> (3, None); junk -> (None, None)."""
    numbers = _DIGITS.findall(text)
    if not numbers:
        return None, None
    first = int(numbers[0]) if len(numbers[0]) < 6 else None
    second = int(numbers[1]) if len(numbers) > 1 and "/" in text and len(numbers[1]) < 6 else None
    return first, second


def _to_int(text: str) -> int | None:
    return _number_pair(text)[0]


def _gain(text: str) -> float | None:
    match = _DECIMAL.search(text)
    return float(match.group(0).replace(",", ".")) if match else None


def _genres(raw: RawTags) -> tuple[str, ...]:
    out: list[str] = []
    for value in raw.get("genre", []):
        for part in _GENRE_SEPARATOR.split(value):
            part = _ID3_GENRE_NUMBER.sub(r"\1", part).strip()
            if part and part.lower() not in (g.lower() for g in out):
                out.append(part)
    return tuple(out)


def _artists(raw: RawTags, key: str) -> tuple[str, ...]:
    out: list[str] = []
    for value in raw.get(key, []):
        out.extend(p.strip() for p in value.split("\x00") if p.strip())
    return tuple(dict.fromkeys(out))


def _codec(audio: Any) -> str:
    name = type(audio).__name__
    if name == "MP4":
        codec = str(getattr(audio.info, "codec", "") or "")
        return "alac" if codec == "alac" else ("aac" if codec.startswith("mp4a") else codec or "mp4")
    return _CODECS.get(name, name.lower())


def _native_rate(audio: Any) -> int:
    """Opus streams always decode at 48 kHz; mutagen does not report a rate for them."""
    return 48000 if type(audio).__name__ == "OggOpus" else 0


def _year(date: str) -> int | None:
    match = _YEAR.search(date)
    return int(match.group(1)) if match else None


def _normalise(raw: RawTags, audio: Any, path: str, root: str | None, duration: float) -> TrackTags:
    info = audio.info
    title = _first(raw, "title")
    artists = _artists(raw, "artist")
    has_names = bool(title and artists and raw.get("album"))
    guess = _NO_GUESS if has_names else guess_from_path(path, root)
    track_no, track_total = _number_pair(_first(raw, "tracknumber"))
    disc_no, disc_total = _number_pair(_first(raw, "discnumber"))
    date = _first(raw, "date") or _first(raw, "originaldate")
    bpm = _gain(_first(raw, "bpm"))
    return TrackTags(
        title=title or guess.title,
        artists=artists or ((guess.artist,) if guess.artist else ()),
        album=_first(raw, "album") or guess.album,
        album_artist=_first(raw, "albumartist"),
        track_number=track_no if track_no is not None else guess.track_number,
        track_total=track_total or _to_int(_first(raw, "tracktotal")),
        disc_number=disc_no if disc_no is not None else guess.disc_number,
        disc_total=disc_total or _to_int(_first(raw, "disctotal")),
        date=date,
        year=_year(date),
        genres=_genres(raw),
        duration=duration,
        bitrate=int(getattr(info, "bitrate", 0) or 0),
        sample_rate=int(getattr(info, "sample_rate", 0) or 0) or _native_rate(audio),
        channels=int(getattr(info, "channels", 0) or 0),
        codec=_codec(audio),
        compilation=_first(raw, "compilation").lower() in ("1", "true", "yes"),
        mb_track_id=_first(raw, "musicbrainz_releasetrackid"),
        mb_recording_id=_first(raw, "musicbrainz_trackid"),
        mb_album_id=_first(raw, "musicbrainz_albumid"),
        mb_artist_id=_first(raw, "musicbrainz_artistid"),
        rg_track_gain=_gain(_first(raw, "replaygain_track_gain")),
        rg_track_peak=_gain(_first(raw, "replaygain_track_peak")),
        rg_album_gain=_gain(_first(raw, "replaygain_album_gain")),
        rg_album_peak=_gain(_first(raw, "replaygain_album_peak")),
        bpm=bpm if bpm and 0 < bpm < 1000 else None,
        has_cover=bool(raw.get("cover")) or bool(getattr(audio, "pictures", None)),
        has_lyrics=bool(raw.get("lyrics")),
        title_from_path=not title,
    )
