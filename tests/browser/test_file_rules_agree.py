"""The form's file rules (ifte-submit-files.js) and Python's (contribute/files.py) agree
on a table of names, types and photos: same verdict, same safe name, same bytes."""

from __future__ import annotations

import base64

import pytest

from build_tools.contribute.files import (
    check_file_bytes,
    format_package_name,
    format_title,
    strip_photo_metadata,
)
from build_tools.core.attachments import MAX_ATTACHMENT_BYTES, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE
from tests.contribute.helpers import photo_with_gps, small_pdf

pytestmark = pytest.mark.browser

EXE = b"MZ\x90\x00" + b"\x00" * 64
HTML = b"<!doctype html><p>hi</p>"
NAMES = [
    ("รายงานผลการใช้.pdf", small_pdf()),
    ("Worksheet ป.4 (final).PDF", small_pdf()),
    ("ภาพ กิจกรรม.jpg", photo_with_gps()),
    ("IMG_2024 06 01.JPEG", photo_with_gps(64, 48)),
    ("index.md.pdf", small_pdf()),
    ("setup.pdf", EXE),
    ("page.jpg", HTML),
    ("photo.png", photo_with_gps()),
    ("no-extension", small_pdf()),
    ("../../etc/ภาพ.jpg", photo_with_gps()),
    ("Café résumé.pdf", small_pdf()),
]

SCRIPT = """([rows, limits]) => {
  const taken = [];
  return rows.map(([name, b64], i) => {
    const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
    const v = IfteFiles.checkFileBytes(name, bytes, limits);
    let safe = "", cleaned = "";
    if (!v.th) {
      safe = IfteFiles.packageName(name, v.mediaType, i + 1, taken);
      taken.push(safe);
      const out = IfteFiles.stripPhotoMetadata(bytes);
      cleaned = btoa(String.fromCharCode(...out));
    }
    return [IfteFiles.formatTitle(name), v.mediaType, Boolean(v.th), safe, cleaned];
  });
}"""


def test_browser_and_python_agree_on_every_file(page, site_url):
    page.goto(site_url + "submit/")
    rows = [[name, base64.b64encode(data).decode()] for name, data in NAMES]
    limits = {
        "maxBytes": MAX_ATTACHMENT_BYTES,
        "maxPixels": MAX_IMAGE_PIXELS,
        "maxSide": MAX_IMAGE_SIDE,
    }
    browser = page.evaluate(SCRIPT, [rows, limits])
    expected, taken = [], set()
    for number, (name, data) in enumerate(NAMES, 1):
        verdict = check_file_bytes(name.rsplit("/", 1)[-1], data)
        safe = cleaned = ""
        if verdict.ok:
            safe = format_package_name(name, verdict.media_type, number, taken)
            taken.add(safe)
            cleaned = base64.b64encode(strip_photo_metadata(data)).decode()
        expected.append([format_title(name), verdict.media_type, not verdict.ok, safe, cleaned])
    assert browser == expected
    assert [row[3] for row in expected if row[3]][:4] == [
        "document-1.pdf",
        "worksheet-4-final.pdf",
        "image-3.jpg",
        "img-2024-06-01.jpg",
    ]
