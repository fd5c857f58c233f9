"""Bytes of a playlist file -> text: BOMs, UTF-16 without BOM, UTF-8, else Windows-1252/Latin-1."""

from __future__ import annotations

import codecs

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def detect_encoding(data: bytes) -> tuple[str, int]:
    """(encoding, length of the BOM to skip)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    sample = data[:4096]
    if len(sample) >= 4 and sample.count(0) >= len(sample) // 4:
        # ASCII text in UTF-16 has a zero in every other byte; which side says the order
        even_zeros = sample[0::2].count(0)
        odd_zeros = sample[1::2].count(0)
        return ("utf-16-be" if even_zeros > odd_zeros else "utf-16-le"), 0
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            return "latin-1", 0
        return "cp1252", 0
    return "utf-8", 0


def decode_playlist(data: bytes) -> tuple[str, str]:
    """(text, encoding used). Never fails: undecodable bytes become U+FFFD."""
    encoding, skip = detect_encoding(data)
    text = data[skip:].decode(encoding, errors="replace")
    return text.lstrip("\ufeff"), encoding
