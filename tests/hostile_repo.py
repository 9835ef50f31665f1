"""A repository a hostile contributor (or a careless one) could send in a pull request:
one entry folder per attack, each with the problem code the checker must give."""

from __future__ import annotations

import os
import struct
import zlib

from PIL import Image

from tests.conftest import VALID_ENTRY, ScratchProject

SECRET = "IFTE_TEST_SECRET_do_not_publish"


def _with_attachment(name: str, title: str = "ไฟล์") -> str:
    quoted = name.encode("unicode_escape").decode().replace('"', '\\"')
    return VALID_ENTRY.replace(
        "summary:", f'attachments:\n  - file: "{quoted}"\n    title: {title}\nsummary:'
    )


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header promises width × height pixels, with a token of image data:
    enough for anything that reads the header (a real bomb unpacks the same way)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    data = zlib.compress(b"\x00" * 4096)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def write_hostile_repository(project: ScratchProject) -> dict[str, str]:
    """Write every hostile entry; returns folder slug → the problem code it must get."""
    expected: dict[str, str] = {}
    secret_file = project.root / "secret.txt"
    secret_file.write_text(f"{SECRET}\n", encoding="utf-8")

    # 1. Links to the build machine's files, listed and unlisted.
    folder = project.entry("link-listed", _with_attachment("env.pdf")).parent
    os.symlink(secret_file, folder / "env.pdf")
    expected["link-listed"] = "unsafe-file"
    folder = project.entry("link-unlisted").parent
    os.symlink("/etc/passwd", folder / "leak.pdf")
    expected["link-unlisted"] = "unsafe-file"
    # A link loop, and a linked folder.
    folder = project.entry("link-loop").parent
    os.symlink("loop", folder / "loop")
    os.symlink("..", folder / "up")
    expected["link-loop"] = "unsafe-file"
    # 2. Entries that crashed or stalled every check and build.
    deep = "[" * 25_000 + "]" * 25_000
    project.entry("deep-front-matter", VALID_ENTRY.replace("[การอ่าน]", deep))
    expected["deep-front-matter"] = "front-matter-too-deep"
    big = VALID_ENTRY.replace("summary:", "title_en: " + "a" * 70_000 + "\nsummary:")
    project.entry("big-front-matter", big)
    expected["big-front-matter"] = "front-matter-too-large"
    project.entry("bracket-body", VALID_ENTRY + "\n" + "[" * 10_000 + "\n")
    expected["bracket-body"] = "body-too-complex"
    project.entry("link-body", VALID_ENTRY + "\n" + "[x][" * 3_000 + "\n")
    expected["link-body"] = "body-too-complex"
    project.entry("angle-body", VALID_ENTRY + "\n" + "<http://a" * 3_000 + "\n")
    expected["angle-body"] = "body-too-complex"
    nested = "".join("    " * level + "- ข้อ\n" for level in range(200))
    project.entry("nested-list-body", VALID_ENTRY + "\n" + nested)
    expected["nested-list-body"] = "body-too-complex"
    project.entry("nul-name", _with_attachment("a\0b.pdf"))
    expected["nul-name"] = "attachment-name"
    project.entry("huge-year", VALID_ENTRY.replace("year: 2567", "year: " + "9" * 5000))
    expected["huge-year"] = "wrong-type"
    folder = project.entry("non-utf8-name").parent
    with open(os.path.join(os.fsencode(folder), b"\xff\xfe.pdf"), "wb") as handle:
        handle.write(b"%PDF-1.4\n")
    expected["non-utf8-name"] = "unsafe-file"
    # 3. Accepted, then harmful.
    folder = project.entry("newline-name", _with_attachment("a\nb.pdf")).parent
    (folder / "a\nb.pdf").write_bytes(b"%PDF-1.4\n")
    expected["newline-name"] = "attachment-name"
    folder = project.entry("space-name", _with_attachment("แผน การสอน.pdf")).parent
    (folder / "แผน การสอน.pdf").write_bytes(b"%PDF-1.4\n")
    expected["space-name"] = "attachment-name"
    folder = project.entry("image-bomb", _with_attachment("chart.png")).parent
    (folder / "chart.png").write_bytes(png_header(30_000, 30_000))
    expected["image-bomb"] = "image-too-large"
    folder = project.entry("body-bomb", VALID_ENTRY + "\n![แผนภูมิ](chart.png)\n").parent
    (folder / "chart.png").write_bytes(png_header(100_000, 100_000))
    expected["body-bomb"] = "image-too-large"
    folder = project.entry("html-as-pdf", _with_attachment("report.pdf")).parent
    (folder / "report.pdf").write_text("<html><script>alert(1)</script></html>")
    expected["html-as-pdf"] = "attachment-type"
    return expected


def write_harmless_neighbours(project: ScratchProject) -> None:
    """Entries that are fine, whose folders hold what must not be published."""
    folder = project.entry("unlisted-files", VALID_ENTRY + "\n![แผนภูมิ](shown.png)\n").parent
    (folder / "page.pdf").write_text("<html><script>alert('unlisted')</script></html>")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4\nnot listed anywhere\n")
    Image.new("RGB", (40, 20), "teal").save(folder / "shown.png")
    remote = (
        '\n<img src="https://tracker.example/pixel.gif" alt="พิกเซล">\n\n'
        "![รูปจากเว็บอื่น](//tracker.example/q.png)\n"
    )
    project.entry("remote-images", VALID_ENTRY + remote)
