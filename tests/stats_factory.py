"""Entries and catalogues for the statistics and open-data tests (no files, no loader)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from build_tools.core.loader import Catalog
from build_tools.core.model import Attachment, Author, Award, Entry, Link, School
from build_tools.core.vocabularies import load_vocabularies
from tests.conftest import REPO_ROOT

VOCABULARIES = load_vocabularies(REPO_ROOT / "vocabularies.yml")
SECRET_EMAIL = "secret.teacher@example.ac.th"


def make_entry(
    slug: str,
    year: int = 2567,
    *,
    district: str = "khok-samrong",
    affiliation: str = "pesao-lopburi-1",
    subjects=("thai",),
    levels=("p4",),
    category: str = "learning",
    type: str = "innovation",
    school: str = "โรงเรียนทดสอบ",
    title: str = "",
    summary: str = "สรุปผลงาน",
    body: str = "เนื้อหา",
    keywords=(),
    updated: dt.date | None = None,
    submitted: dt.date | None = None,
    started: dt.date | None = None,
    finished: dt.date | None = None,
    license: str = "CC-BY-4.0",
    attachments=(),
    links=(),
) -> Entry:
    return Entry(
        year=year,
        slug=slug,
        title=title or f"ผลงาน {slug}",
        type=type,
        category=category,
        authors=(Author("นางสาวทดสอบ ระบบ", "ครู", SECRET_EMAIL),),
        school=School(school, district, affiliation),
        summary=summary,
        body=body,
        source_path=Path(f"innovations/{year}/{slug}/index.md"),
        subjects=tuple(subjects),
        levels=tuple(levels),
        keywords=tuple(keywords),
        updated=updated,
        submitted=submitted,
        started=started,
        finished=finished,
        license=license,
        attachments=tuple(attachments),
        links=tuple(links),
        award=Award("รางวัลดีเด่น", "province", year) if type == "best_practice" else None,
    )


def make_catalog(*entries: Entry) -> Catalog:
    return Catalog(tuple(entries), (), VOCABULARIES, len(entries), REPO_ROOT)


__all__ = ["Attachment", "Link", "SECRET_EMAIL", "VOCABULARIES", "make_catalog", "make_entry"]
