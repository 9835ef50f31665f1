"""Shared pieces of the hand-in tests: a scratch git clone, a photo with GPS, a PDF."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

from PIL import Image

from tests.conftest import ScratchProject

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Office",
    "GIT_AUTHOR_EMAIL": "office@example.org",
    "GIT_COMMITTER_NAME": "Office",
    "GIT_COMMITTER_EMAIL": "office@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(root: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    done = subprocess.run(
        ["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def make_git_project(root: Path) -> ScratchProject:
    """A scratch project that is a git clone with one commit on `main`."""
    root.mkdir(parents=True, exist_ok=True)
    project = ScratchProject(root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    return project


def snapshot(root: Path) -> tuple:
    """Everything a refused import must leave as it was: files, index, branches, HEAD."""
    files = sorted(
        (p.relative_to(root).as_posix(), p.read_bytes() if p.is_file() else b"")
        for p in root.rglob("*")
        if ".git" not in p.relative_to(root).parts
    )
    return (
        files,
        git(root, "status", "--porcelain"),
        git(root, "branch", "--list"),
        git(root, "rev-parse", "HEAD"),
    )


def photo_with_gps(width: int = 320, height: int = 240) -> bytes:
    """A JPEG carrying GPS coordinates (13.8° N, 100.6° E) and an orientation."""
    image = Image.new("RGB", (width, height), (40, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = 1
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (13.0, 48.0, 0.0), 3: "E", 4: (100.0, 36.0, 0.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), quality=80)
    return buffer.getvalue()


def small_pdf(text: str = "IFTE") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 100), (255, 255, 255)).save(buffer, "PDF")
    return buffer.getvalue().replace(b"%PDF-1.4", b"%PDF-1.4", 1) + f"% {text}\n".encode()


def has_gps(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as image:
        return bool(image.getexif().get_ifd(0x8825))
