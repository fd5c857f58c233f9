"""Desktop integration files: they validate, agree with each other, and install.sh places them."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from player.cli.file_args import PLAYLIST_EXTENSIONS

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "resources"
DESKTOP = RESOURCES / "encore.desktop"
METAINFO = RESOURCES / "org.encore.Encore.metainfo.xml"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate missing (apt-get install desktop-file-utils)")
def test_desktop_entry_validates() -> None:
    result = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout == "", result.stdout


@pytest.mark.skipif(shutil.which("appstreamcli") is None,
                    reason="appstreamcli missing (apt-get install appstream)")
def test_metainfo_validates_offline() -> None:
    result = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_desktop_entry_opens_audio_and_playlists() -> None:
    desktop = entry()
    assert desktop["Exec"] == "encore %F" and desktop["Icon"] == "encore"
    types = set(desktop["MimeType"].rstrip(";").split(";"))
    assert {"audio/flac", "audio/mpeg", "audio/ogg", "audio/x-mpegurl", "audio/x-scpls",
            "application/xspf+xml"} <= types
    assert {".m3u", ".m3u8", ".pls", ".xspf"} == PLAYLIST_EXTENSIONS
    for category in ("AudioVideo", "Audio", "Player"):
        assert category in desktop["Categories"].split(";")


def test_metainfo_screenshots_exist_in_docs() -> None:
    text = METAINFO.read_text(encoding="utf-8")
    names = [part.split("</image>")[0].rsplit("/", 1)[-1] for part in text.split("<image")[1:]]
    assert names and all((ROOT / "docs" / "screenshots" / n).is_file() for n in names), names


def test_icons_exist_at_every_size() -> None:
    from PySide6.QtGui import QImage

    for n in SIZES:
        image = QImage(str(RESOURCES / "icons" / "hicolor" / f"{n}x{n}" / "apps" / "encore.png"))
        assert (image.width(), image.height()) == (n, n)
    assert (RESOURCES / "icons" / "encore.svg").read_text().lstrip().startswith("<?xml")


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """The layout build-linux puts in the tarball, with a stand-in for the frozen app."""
    stage = tmp_path / "encore-x"
    (stage / "encore").mkdir(parents=True)
    app = stage / "encore" / "encore"
    app.write_text("#!/bin/sh\necho encore-stand-in \"$@\"\n")
    app.chmod(0o755)
    (stage / "share" / "applications").mkdir(parents=True)
    (stage / "share" / "metainfo").mkdir(parents=True)
    shutil.copy(DESKTOP, stage / "share" / "applications")
    shutil.copy(METAINFO, stage / "share" / "metainfo")
    shutil.copytree(RESOURCES / "icons" / "hicolor", stage / "share" / "icons" / "hicolor")
    shutil.copy(ROOT / "packaging" / "install.sh", stage / "install.sh")
    return stage


def test_install_sh_places_everything_and_uninstalls(archive: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "prefix"
    env = dict(os.environ, PREFIX=str(prefix), HOME=str(tmp_path))
    done = subprocess.run(["sh", str(archive / "install.sh")], env=env, capture_output=True,
                          text=True, check=True)
    assert "Encore installed" in done.stdout
    binary = prefix / "bin" / "encore"
    assert subprocess.run([str(binary), "x"], capture_output=True, text=True).stdout.strip() == \
        "encore-stand-in x"
    installed = (prefix / "share" / "applications" / "encore.desktop").read_text()
    assert f"Exec={binary} %F" in installed and f"TryExec={binary}" in installed
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate",
                                str(prefix / "share" / "applications" / "encore.desktop")],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout
    assert (prefix / "share" / "icons" / "hicolor" / "48x48" / "apps" / "encore.png").is_file()
    assert (prefix / "share" / "metainfo" / METAINFO.name).is_file()
    subprocess.run(["sh", str(archive / "install.sh"), "--uninstall"], env=env, check=True,
                   capture_output=True)
    assert not binary.exists() and not (prefix / "lib" / "encore").exists()
    assert not (prefix / "share" / "applications" / "encore.desktop").exists()


def test_install_sh_refuses_an_incomplete_archive(archive: Path, tmp_path: Path) -> None:
    shutil.rmtree(archive / "encore")
    result = subprocess.run(["sh", str(archive / "install.sh")], capture_output=True, text=True,
                            env=dict(os.environ, PREFIX=str(tmp_path / "p")))
    assert result.returncode == 1 and "is missing" in result.stderr
    assert not (tmp_path / "p" / "bin" / "encore").exists()
