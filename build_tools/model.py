"""The validated data model of an innovation entry.

Entries are frozen dataclasses holding tuples, built once by the loader and never
mutated afterwards: every later stage (listings, search, exports) reads them.
Vocabulary-backed fields hold the stable ASCII *code*; labels come from
`vocabularies.Vocabularies`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Author:
    name: str
    position: str = ""
    email: str = ""


@dataclass(frozen=True)
class School:
    name: str
    district: str  # vocabulary code, e.g. "khok-samrong"
    affiliation: str  # vocabulary code, e.g. "pesao-lopburi-1"


@dataclass(frozen=True)
class Award:
    title: str
    level: str  # vocabulary code of award_levels
    year: int  # Buddhist Era


@dataclass(frozen=True)
class Attachment:
    file: str  # path relative to the entry folder, POSIX separators
    title: str
    size: int  # bytes
    media_type: str  # e.g. "application/pdf"


@dataclass(frozen=True)
class Link:
    url: str
    title: str


@dataclass(frozen=True)
class Entry:
    """One innovation or Best Practice entry (`innovations/<year>/<slug>/index.md`)."""

    year: int  # Buddhist Era, equals the folder year
    slug: str  # ASCII folder name
    title: str
    type: str  # vocabulary code: innovation | best_practice
    category: str  # vocabulary code: learning | management | supervision
    authors: tuple[Author, ...]
    school: School
    summary: str
    body: str  # Markdown, untrusted
    source_path: Path  # path of index.md
    title_en: str = ""
    subjects: tuple[str, ...] = ()  # vocabulary codes
    levels: tuple[str, ...] = ()  # vocabulary codes
    keywords: tuple[str, ...] = ()
    award: Award | None = None
    attachments: tuple[Attachment, ...] = ()
    links: tuple[Link, ...] = ()
    license: str = "CC-BY-4.0"  # vocabulary code of licenses
    submitted: dt.date | None = None
    sample: bool = False  # bundled demonstration entry, shown with a badge
    updated: dt.date | None = None  # last change (git or file mtime), for "last updated"
    content_hash: str = field(default="", compare=False)

    @property
    def id(self) -> str:
        """Stable identifier, also the URL path below /innovations/: "2567/reading-kit"."""
        return f"{self.year}/{self.slug}"

    @property
    def url(self) -> str:
        """Site-relative URL of the entry page, with a trailing slash."""
        return f"innovations/{self.year}/{self.slug}/"

    @property
    def folder(self) -> Path:
        return self.source_path.parent

    @property
    def is_best_practice(self) -> bool:
        return self.type == "best_practice"
