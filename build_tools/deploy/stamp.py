"""The build's completion stamp: proof that `site/` is one whole, finished build.

A build removes the stamp before it writes anything and writes it after everything
else, so a build that failed or was killed leaves none. The stamp names what the
build left: how many files, and a digest of every file's relative path and size.
It holds no time (the file's own mtime tells when): equal builds stay equal byte
for byte, which is how builds are tested.
`ifte deploy` refuses a folder without a stamp, or whose files no longer match it,
so an empty or half-built `site/` can never replace (and delete) the live site.
The stamp stays on this machine: the deploy does not upload it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from build_tools.core.writing import write_text_atomic
from build_tools.deploy.errors import IncompleteBuildError

STAMP_NAME = ".ifte-build.json"
STAMP_FORMAT = "ifte-build-stamp/1"


@dataclass(frozen=True)
class BuildStamp:
    file_count: int
    total_bytes: int
    digest: str  # `format_site_digest` of every file but the stamp
    # What the build was made from (`BuildManifest.key`): the next build trusts its
    # manifest only for a folder stamped with it.
    build_key: str = ""


def format_site_digest(sizes: Mapping[str, int]) -> str:
    """SHA-256 of the sorted relative paths and sizes (the order of a walk does not count)."""
    digest = hashlib.sha256()
    for path in sorted(sizes):
        digest.update(f"{path}\0{sizes[path]}\n".encode())
    return digest.hexdigest()


def read_site_sizes(site_dir: Path) -> dict[str, int]:
    """Relative POSIX path → size of every file in the site, the stamp left out.

    Symlinks are followed, as the deploy's manifest follows them.
    """
    sizes: dict[str, int] = {}
    for root, _dirs, names in os.walk(site_dir, followlinks=True):
        for name in names:
            path = Path(root, name)
            relative = path.relative_to(site_dir).as_posix()
            if relative != STAMP_NAME:
                sizes[relative] = path.stat().st_size
    return sizes


def plan_build_stamp(sizes: Mapping[str, int]) -> BuildStamp:
    return BuildStamp(len(sizes), sum(sizes.values()), format_site_digest(sizes))


def write_build_stamp(site_dir: Path, build_key: str = "") -> BuildStamp:
    """Stamp the folder as a finished build; call after every other file is written."""
    stamp = plan_build_stamp(read_site_sizes(site_dir))
    body = {
        "format": STAMP_FORMAT,
        "files": stamp.file_count,
        "bytes": stamp.total_bytes,
        "digest": f"sha256:{stamp.digest}",
    }
    if build_key:
        body["build"] = build_key
    write_text_atomic(Path(site_dir) / STAMP_NAME, json.dumps(body, indent=1) + "\n")
    return stamp


def remove_build_stamp(site_dir: Path) -> None:
    """Call before a build writes anything: until it finishes, the folder is not a build."""
    (Path(site_dir) / STAMP_NAME).unlink(missing_ok=True)


def read_build_stamp(site_dir: Path) -> BuildStamp | None:
    """The folder's stamp; None when there is none or it cannot be read."""
    try:
        body = json.loads((Path(site_dir) / STAMP_NAME).read_text(encoding="utf-8"))
        if not isinstance(body, dict) or body.get("format") != STAMP_FORMAT:
            return None
        return BuildStamp(
            file_count=int(body["files"]),
            total_bytes=int(body["bytes"]),
            digest=str(body["digest"]).removeprefix("sha256:"),
            build_key=str(body.get("build", "")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def check_build_stamp(site_dir: Path, sizes: Mapping[str, int]) -> BuildStamp:
    """The stamp, if `sizes` (the files about to be deployed) are the stamped build's.

    Raises `IncompleteBuildError` when the folder has no stamp (a build failed or was
    killed, or the folder was made by hand) or its files changed since.
    """
    stamp = read_build_stamp(site_dir)
    if stamp is None:
        raise IncompleteBuildError(
            f"{site_dir} ไม่ใช่เว็บไซต์ที่สร้างเสร็จสมบูรณ์ (ไม่พบ {STAMP_NAME}) — การสร้างครั้งล่าสุด"
            "อาจล้มเหลวหรือถูกหยุดกลางคัน สร้างเว็บไซต์ใหม่ (make site) ก่อน deploy "
            "ไม่มีอะไรบนโฮสต์ถูกเปลี่ยน",
            f"{site_dir} is not a finished build (no {STAMP_NAME}): the last build may have "
            "failed or been stopped. Build the site again (make site) before deploying; "
            "nothing on the host was changed.",
        )
    if stamp.file_count != len(sizes) or stamp.digest != format_site_digest(sizes):
        raise IncompleteBuildError(
            f"ไฟล์ใน {site_dir} ไม่ตรงกับที่การสร้างครั้งล่าสุดเขียนไว้ "
            f"(ตอนนี้มี {len(sizes):,} ไฟล์ การสร้างเขียนไว้ {stamp.file_count:,} ไฟล์) — "
            "สร้างเว็บไซต์ใหม่ (make site) ก่อน deploy ไม่มีอะไรบนโฮสต์ถูกเปลี่ยน",
            f"The files in {site_dir} are not the ones its last build left "
            f"({len(sizes):,} files now, {stamp.file_count:,} then). Build the site again "
            "(make site) before deploying; nothing on the host was changed.",
        )
    return stamp
