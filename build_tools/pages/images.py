"""Photos in entry folders: location data (PDPA) and web-size copies.

A phone photo carries the GPS position where it was taken, often a school or a
student's home, and is 3–12 MB. The checker warns about GPS tags and
`ifte strip-gps` removes them from the file in place (JPEG: losslessly, only the
metadata segment is rewritten). At build time every published image goes
through `prepare_web_image`: large photos are scaled down, and any photo with
metadata is re-encoded without it, so neither the bytes nor the location of the
original reach the site. Results are cached by content hash in the store's `images/`.

An entry's cover image is also made into card pictures beside its page
(`generate_thumbnails`, `render_thumbnails`).
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image, ImageOps, UnidentifiedImageError

from build_tools.core.attachments import (
    IMAGE_TYPES,
    MEDIA_TYPES,
    check_image_header,
    find_regular_file,
    open_inside,
)
from build_tools.core.cache import build_fingerprint
from build_tools.core.model import Entry
from build_tools.core.problems import Problem, make_problem
from build_tools.core.site import GeneratedFile, SiteSettings
from build_tools.core.writing import write_bytes_atomic

if TYPE_CHECKING:
    from build_tools.core.loader import Catalog

GPS_IFD = 0x8825
EXIF_ORIENTATION = 0x0112
WEB_MAX_PIXELS = 1600  # longest side of a published photo
WEB_MAX_BYTES = 500 * 1024  # a smaller file is published as is (if it has no metadata)
JPEG_QUALITY = 82
WEB_IMAGE_CACHE = "images"  # in the store (`cache.store_folder`)

_EXIF_HEADER = b"Exif\x00\x00"
_XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
_XMP_GPS = (b"GPSLatitude", b"GPSLongitude")
_GPS_NAMES = {
    1: "GPSLatitudeRef",
    2: "GPSLatitude",
    3: "GPSLongitudeRef",
    4: "GPSLongitude",
    5: "GPSAltitudeRef",
    6: "GPSAltitude",
    29: "GPSDateStamp",
}
_UNREADABLE = (
    OSError,
    SyntaxError,
    ValueError,
    Image.DecompressionBombError,
    UnidentifiedImageError,
)


def is_image(path: Path) -> bool:
    return MEDIA_TYPES.get(path.suffix.lower()) in IMAGE_TYPES


def iter_entry_images(folder: Path) -> Iterator[Path]:
    """Image files in an entry folder (any depth), in a stable order."""
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink() and is_image(path):
            yield path


# --- location data ------------------------------------------------------------------


def read_gps_tags(path: Path) -> tuple[str, ...]:
    """Names of the location tags a photo carries (EXIF GPS IFD or XMP); () when none."""
    try:
        with Image.open(path) as image:
            gps = image.getexif().get_ifd(GPS_IFD)
            names = [_GPS_NAMES.get(tag, f"GPS tag {tag}") for tag in sorted(gps)]
            xmp = image.info.get("xmp", b"")
    except _UNREADABLE:
        return ()
    if isinstance(xmp, str):
        xmp = xmp.encode("utf-8", "replace")
    names += [f"XMP {tag.decode()}" for tag in _XMP_GPS if tag in xmp]
    return tuple(names)


def check_entry_images(folders: Iterable[Path], root: Path) -> list[Problem]:
    """An `image-gps` warning for every photo with location data in the given entry folders."""
    problems = []
    for folder in folders:
        for path in iter_entry_images(folder):
            tags = read_gps_tags(path)
            if tags:
                display = path.relative_to(root).as_posix()
                problems.append(
                    make_problem("image-gps", display, value=path.name, detail=", ".join(tags[:4]))
                )
    return problems


def strip_gps(path: Path) -> bool:
    """Remove location data from a photo in place; True if the file changed."""
    if not read_gps_tags(path):
        return False
    data = path.read_bytes()
    if data.startswith(b"\xff\xd8"):
        cleaned = _strip_jpeg_gps(data)
    else:
        cleaned = _resave_without_gps(data)
    return write_bytes_atomic(path, cleaned)


def _exif_without_gps(image: Image.Image) -> Image.Exif:
    exif = image.getexif()
    exif.get_ifd(GPS_IFD).clear()
    if GPS_IFD in exif:
        del exif[GPS_IFD]
    return exif


def _jpeg_segments(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(marker, whole segment bytes) up to and including start-of-scan, then the rest."""
    position = 2
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xDA:  # start of scan: entropy-coded data follows, copy it untouched
            break
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        yield marker, data[position : position + 2 + length]
        position += 2 + length
    yield 0xDA, data[position:]


def _strip_jpeg_gps(data: bytes) -> bytes:
    """Rewrite only the EXIF segment (keeping orientation etc.) and drop XMP with GPS."""
    with Image.open(io.BytesIO(data)) as image:
        exif_payload = _exif_without_gps(image).tobytes()
    out = [data[:2]]
    for marker, segment in _jpeg_segments(data):
        body = segment[4:]
        if marker == 0xE1 and body.startswith(_EXIF_HEADER):
            segment = b"\xff\xe1" + (len(exif_payload) + 2).to_bytes(2, "big") + exif_payload
        elif marker == 0xE1 and body.startswith(_XMP_HEADER) and any(t in body for t in _XMP_GPS):
            continue
        out.append(segment)
    return b"".join(out)


def _resave_without_gps(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        exif = _exif_without_gps(image)
        buffer = io.BytesIO()
        options = {"quality": 95} if image.format == "WEBP" else {}
        image.save(buffer, format=image.format, exif=exif.tobytes(), **options)
    return buffer.getvalue()


# --- web copies ---------------------------------------------------------------------


@dataclass(frozen=True)
class WebImagePlan:
    resize: bool  # longer side above WEB_MAX_PIXELS or file above WEB_MAX_BYTES
    strip: bool  # carries EXIF/XMP metadata


def plan_web_image(path: Path) -> WebImagePlan | None:
    """What the published copy needs; None when the original can be published as is."""
    try:
        with Image.open(path) as image:
            if getattr(image, "is_animated", False):
                return None  # re-encoding would drop the animation
            too_big = max(image.size) > WEB_MAX_PIXELS or path.stat().st_size > WEB_MAX_BYTES
            has_metadata = bool(image.getexif()) or "xmp" in image.info
    except _UNREADABLE:
        return None
    if not (too_big or has_metadata):
        return None
    return WebImagePlan(too_big, has_metadata)


def render_web_image(data: bytes) -> bytes:
    """The published form of a photo: upright, at most WEB_MAX_PIXELS, no metadata."""
    with Image.open(io.BytesIO(data)) as original:
        image_format = original.format
        image = ImageOps.exif_transpose(original)
        image.thumbnail((WEB_MAX_PIXELS, WEB_MAX_PIXELS), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        if image_format == "JPEG":
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        elif image_format == "PNG":
            image.save(buffer, "PNG", optimize=True)
        else:  # WebP, or a still GIF (animations never get here: see plan_web_image)
            image.save(buffer, image_format, quality=JPEG_QUALITY)
    return buffer.getvalue()


def prepare_web_image(src: Path, cache_dir: Path) -> Path:
    """The file to publish for image `src`: `src` itself, or a cached web copy.

    Never raises for a bad image: an unreadable file is published as is (the
    checker has already verified its type by its first bytes).
    """
    plan = plan_web_image(src)
    if plan is None:
        return src
    data = src.read_bytes()
    key = hashlib.sha256(data).hexdigest()[:32]
    target = cache_dir / f"{key}{src.suffix.lower()}"
    if target.is_file():
        return target
    try:
        web = render_web_image(data)
    except _UNREADABLE:
        return src
    if not plan.strip and len(web) >= len(data):
        return src  # nothing to hide and nothing saved (e.g. an already optimised PNG)
    write_bytes_atomic(target, web)
    return target


# --- card pictures ------------------------------------------------------------------
# An entry's cover (`Entry.cover_image`) becomes small copies beside its page, cropped to
# one shape so that every card reserves the same box before its picture arrives (no
# layout shift), in WebP with a JPEG fallback, and small enough that phones fetch little.
THUMB_WIDTHS = (320, 640)
THUMB_RATIO = (16, 10)  # width : height
THUMB_QUALITY = 75
THUMB_FORMATS = (("webp", "WEBP"), ("jpg", "JPEG"))
# "@" is in no name an entry may publish (`attachments.is_publishable_name`): a teacher's
# file can never take a thumbnail's place.
THUMB_NAME = "cover@{width}.{suffix}"
_PLACEHOLDER_GREY = (226, 228, 236)
_THUMB_SOURCES = ("JPEG", "PNG", "GIF", "WEBP")  # the types an entry may publish


def format_thumb_height(width: int) -> int:
    return width * THUMB_RATIO[1] // THUMB_RATIO[0]


def format_thumb_names() -> tuple[str, ...]:
    """The file names of an entry's card pictures, beside its page."""
    return tuple(
        THUMB_NAME.format(width=width, suffix=suffix)
        for width in THUMB_WIDTHS
        for suffix, _ in THUMB_FORMATS
    )


def render_thumbnails(data: bytes) -> dict[str, bytes]:
    """The card pictures (`format_thumb_names`) of image `data`: upright, cropped to
    THUMB_RATIO around the centre, no metadata. An image that cannot be decoded gives
    plain grey pictures of the same size, never a broken image on a card."""
    largest = (max(THUMB_WIDTHS), format_thumb_height(max(THUMB_WIDTHS)))
    try:
        with Image.open(io.BytesIO(data), formats=_THUMB_SOURCES) as original:
            # A JPEG is decoded at the smallest scale still covering the picture (both
            # sides at least the largest width, whatever its orientation): a 12-megapixel
            # photo is made into pictures in about 0.13 s instead of 0.4 s.
            original.draft("RGB", (largest[0], largest[0]))
            image = _on_white(ImageOps.exif_transpose(original))
            image = ImageOps.fit(image, largest, Image.Resampling.LANCZOS)
    except _UNREADABLE:
        image = Image.new("RGB", largest, _PLACEHOLDER_GREY)
    pictures = {}
    for width in THUMB_WIDTHS:
        size = (width, format_thumb_height(width))
        scaled = image if image.size == size else image.resize(size, Image.Resampling.LANCZOS)
        for suffix, image_format in THUMB_FORMATS:
            buffer = io.BytesIO()
            options = {"optimize": True, "progressive": True} if image_format == "JPEG" else {}
            scaled.save(buffer, image_format, quality=THUMB_QUALITY, **options)
            pictures[THUMB_NAME.format(width=width, suffix=suffix)] = buffer.getvalue()
    return pictures


def _on_white(image: Image.Image) -> Image.Image:
    """RGB; transparent parts (a PNG diagram, a GIF) on white, as on the page."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def read_cover(entry: Entry) -> bytes:
    """The bytes of the entry's cover image, opened as a checked attachment is (no link
    followed), with its header checked again before anything decodes it; b"" (a grey
    picture) when it is gone or no longer passes."""
    try:
        with os.fdopen(open_inside(entry.folder, entry.cover_image), "rb") as handle:
            if check_image_header(handle) is not None:
                return b""
            handle.seek(0)
            return handle.read()
    except OSError:
        return b""


class _EntryThumbnails:
    """One decoding of an entry's cover for its four files, made when the first is."""

    def __init__(self, entry: Entry) -> None:
        self.entry = entry
        self.pictures: dict[str, bytes] | None = None

    def take(self, name: str) -> bytes:
        if self.pictures is None:
            self.pictures = render_thumbnails(read_cover(self.entry))
        return self.pictures.pop(name)


def generate_thumbnails(catalog: Catalog, settings: SiteSettings) -> Iterator[GeneratedFile]:
    """The card pictures of every entry with a cover (`site.PAGE_GENERATORS`), keyed by
    the entry's fingerprint (its files) and this code: an incremental build makes only
    those of entries that changed."""
    code = build_fingerprint()
    names = format_thumb_names()
    for entry in catalog.entries:
        cover = entry.cover_image
        if not cover:
            continue
        fingerprint = catalog.fingerprints.get(entry.id)
        key = ""
        if fingerprint:
            key = hashlib.sha256(f"{code}\0{fingerprint}\0{cover}".encode()).hexdigest()[:24]
        thumbnails = _EntryThumbnails(entry)
        for name in names:
            yield GeneratedFile(f"{entry.url}{name}", partial(thumbnails.take, name), key)


def iter_published_sources(entry: Entry, store: Path) -> Iterator[tuple[str, Path | None]]:
    """(name, file to publish) of each of the entry's checked files, looked at again now:
    None for one that a link has replaced since the check. Photos come web-sized and
    without EXIF/GPS."""
    for name in entry.published_files:
        try:
            path = find_regular_file(entry.folder, name)
        except OSError:
            yield name, None
            continue
        yield name, prepare_web_image(path, store / WEB_IMAGE_CACHE) if is_image(path) else path
