"""The validated data model of an innovation entry.

Entries are frozen dataclasses holding tuples, built once by the loader and never
mutated afterwards: every later stage (listings, search, exports) reads them.
Vocabulary-backed fields hold the stable ASCII *code*; labels come from
`vocabularies.Vocabularies`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
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


class _Kept:
    """A dataclass field stored (`_<name>` in the instance) in a form cheaper to cache
    than its value, and turned into the value each time it is read."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_{name}"

    def __get__(self, instance: object, owner: type | None = None):
        if instance is None:
            raise AttributeError(self.slot)  # so that the dataclass field has no default
        return self.load(instance.__dict__[self.slot])

    def __set__(self, instance: object, value: object) -> None:
        instance.__dict__[self.slot] = self.store(value)

    def load(self, stored: object) -> object:
        return stored

    def store(self, value: object) -> object:
        return value


class _KeptText(_Kept):
    """Text that may be a stand-in with a `read()` method, read each time the field is:
    the loader caches entries with their body left in the file (`entries.BodyInFile`), so
    20,000 cached entries load without 85 % of their bytes."""

    def load(self, stored: object) -> str:
        return stored if isinstance(stored, str) else stored.read()


class _KeptPath(_Kept):
    """A path kept as its string: unpickling 20,000 cached entries then builds no `Path`
    objects, which was half of the entries' load."""

    def load(self, stored: object) -> Path:
        return Path(stored)

    def store(self, value: object) -> str:
        return os.fspath(value)


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
    body: str = _KeptText()  # type: ignore[assignment]  # Markdown, untrusted
    source_path: Path = _KeptPath()  # type: ignore[assignment]  # path of index.md
    title_en: str = ""
    subjects: tuple[str, ...] = ()  # vocabulary codes
    levels: tuple[str, ...] = ()  # vocabulary codes
    keywords: tuple[str, ...] = ()
    award: Award | None = None
    attachments: tuple[Attachment, ...] = ()
    # Other files of the folder the body shows or links to (checked like attachments).
    body_files: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    # The picture on the entry's cards (`cover_image`): one of its published images.
    cover: str = ""
    license: str = "CC-BY-4.0"  # vocabulary code of licenses
    submitted: dt.date | None = None
    # When the work was carried out (optional): they place the entry in an academic
    # year (`stats.periods`).
    started: dt.date | None = None
    finished: dt.date | None = None
    sample: bool = False  # bundled demonstration entry, shown with a badge
    updated: dt.date | None = None  # last change (git or file mtime), for "last updated"
    content_hash: str = field(default="", compare=False)

    @cached_property  # read a million times per build at 20,000 entries
    def id(self) -> str:
        """Stable identifier, also the URL path below /innovations/: "2567/reading-kit"."""
        return f"{self.year}/{self.slug}"

    @cached_property
    def url(self) -> str:
        """Site-relative URL of the entry page, with a trailing slash."""
        return f"innovations/{self.year}/{self.slug}/"

    @cached_property
    def codes_key(self) -> str:
        """Hash of what places the entry in counts, filters and listing pages: its id
        (so the catalogue order), year, vocabulary codes, school and award level, not its
        texts. Those results are kept under `format_codes_digest`, so an edit of a title,
        summary or body counts and groups nothing again. The loader caches it with the
        entry (`precompute`); a changed copy (`replace`) computes its own."""
        award = self.award.level if self.award else None
        values = (
            self.id,
            self.year,
            self.type,
            self.category,
            self.school,
            self.subjects,
            self.levels,
            award,
        )
        return hashlib.sha256(repr(values).encode()).hexdigest()[:24]

    def precompute(self) -> Entry:
        """Compute the cached properties now, so that a pickle of the entry holds them: the
        loader caches entries, and later builds read these with each entry instead of
        computing them for 20,000 entries."""
        for name in ("id", "url", "codes_key"):
            getattr(self, name)
        return self

    @property
    def folder(self) -> Path:
        return self.source_path.parent

    def replace(self, **changes: object) -> Entry:
        """`dataclasses.replace`, keeping a body left in its file where it is."""
        changes.setdefault("body", self.__dict__["_body"])
        return dataclasses.replace(self, **changes)

    @property
    def published_files(self) -> tuple[str, ...]:
        """The folder's files that go on the site: the attachments, then the body's."""
        return tuple(attachment.file for attachment in self.attachments) + self.body_files

    @property
    def cover_image(self) -> str:
        """The published image that stands for the entry: `cover`, else the first image
        attachment; "" when it has none."""
        if self.cover:
            return self.cover
        return next((a.file for a in self.attachments if a.media_type.startswith("image/")), "")

    @property
    def is_best_practice(self) -> bool:
        return self.type == "best_practice"


def format_codes_digest(entries: Iterable[Entry]) -> str:
    """Hash of the entries' `Entry.codes_key`s, in their order: results drawn from the
    entries' codes alone (counts, filters, listing pages) are kept under it."""
    return hashlib.sha256("\n".join(e.codes_key for e in entries).encode()).hexdigest()
