"""Photos in entry folders: location data (PDPA) and web-size copies.

A phone photo carries the GPS position where it was taken, often a school or a
student's home, and is 3–12 MB. The checker warns about GPS tags and
`ifte strip-gps` removes them from the file in place (JPEG: losslessly, only the
metadata segment is rewritten). At build time every published image goes
through `prepare_web_image`: large photos are scaled down, and any photo with
metadata is re-encoded without it, so neither the bytes nor the location of the
original reach the site. Results are cached by content hash in the store's `images/`.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from build_tools.attachments import IMAGE_TYPES, MEDIA_TYPES
from build_tools.problems import Problem, make_problem
from build_tools.writing import write_bytes_atomic

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
