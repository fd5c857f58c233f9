"""XSPF (XML Shareable Playlist Format), parsed safely.

A DOCTYPE or ENTITY declaration is refused before the XML parser sees the text, which rules
out external entities (local file disclosure, network fetches) and entity expansion ("billion
laughs"); a playlist has no use for either.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from urllib.parse import unquote

from player.playlists.entries import ExportItem, FileEntry, ParsedPlaylist, PlaylistFileError

NAMESPACE = "http://xspf.org/ns/0/"
_FORBIDDEN = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0


def parse_xspf(text: str) -> ParsedPlaylist:
    if _FORBIDDEN.search(text):
        raise PlaylistFileError(
            "This XSPF playlist declares a DOCTYPE or entities; Encore refuses such files "
            "because they can read other files or expand without bound.",
            "Remove the <!DOCTYPE ...> part and try again.")
    try:
        root = ET.fromstring(_DECLARATION.sub("", text, count=1))
    except ET.ParseError as exc:
        raise PlaylistFileError(f"This XSPF playlist is not valid XML ({exc}); is it truncated?") from None
    if _local(root.tag) != "playlist":
        raise PlaylistFileError(f"This is not an XSPF playlist (its root is <{_local(root.tag)}>).")
    parsed = ParsedPlaylist("xspf", title=_child_text(root, "title"))
    number = 0
    for element in root.iter():
        if _local(element.tag) != "track":
            continue
        number += 1
        location = _uri_reference(_child_text(element, "location"))
        artist, title = _child_text(element, "creator"), _child_text(element, "title")
        if not location and not title:
            parsed.warnings.append(f"track {number}: no location and no title, ignored")
            continue
        parsed.entries.append(FileEntry(location, artist, title, _duration(element), number))
    return parsed


def _uri_reference(location: str) -> str:
    """XSPF locations are URIs: a relative one is percent-decoded into a relative path;
    absolute ones (file://, http://) are left to locations.locate."""
    if not location or re.match(r"^[A-Za-z][A-Za-z0-9+.-]+:", location):
        return location
    return unquote(location, errors="surrogateescape")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child_text(element: ET.Element, name: str) -> str:
    for child in element:
        if _local(child.tag) == name:
            return (child.text or "").strip()
    return ""


def _duration(track: ET.Element) -> float | None:
    try:
        return int(_child_text(track, "duration")) / 1000.0  # XSPF durations are milliseconds
    except ValueError:
        return None


def write_xspf(items: Iterable[ExportItem], title: str = "") -> str:
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(f"{{{NAMESPACE}}}playlist", version="1")
    if title:
        ET.SubElement(root, f"{{{NAMESPACE}}}title").text = _NOT_XML.sub("", title)
    track_list = ET.SubElement(root, f"{{{NAMESPACE}}}trackList")
    for item in items:
        track = ET.SubElement(track_list, f"{{{NAMESPACE}}}track")
        ET.SubElement(track, f"{{{NAMESPACE}}}location").text = item.location
        for name, value in (("creator", item.artist), ("title", item.title), ("album", item.album)):
            if value:
                ET.SubElement(track, f"{{{NAMESPACE}}}{name}").text = _NOT_XML.sub("", value)
        if item.duration:
            ET.SubElement(track, f"{{{NAMESPACE}}}duration").text = str(int(item.duration * 1000))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=False).join(
        ['<?xml version="1.0" encoding="UTF-8"?>\n', "\n"])
