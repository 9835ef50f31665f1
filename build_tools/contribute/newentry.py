"""Create a new entry folder that passes the checker as written (`ifte new`).

The same `EntryDraft` → `format_entry` path serves `ifte new`, the issue form
(`pullrequest.read_issue_form`) and, mirrored line by line in
`theme/assets/javascripts/ifte-submit.js`, the `/submit/` form. Values are
written as teachers read them: vocabulary values as their Thai labels.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from build_tools.core.errors import IfteError
from build_tools.core.loader import ENTRIES_FOLDER
from build_tools.core.vocabularies import KINDS, Vocabularies

SLUG_MAX_CHARS = 60
SLUG_MAX_WORDS = 7
FALLBACK_SLUG = "innovation"

# Headings of a new entry's body, with what to write under each (an HTML comment,
# which the site does not show). The /submit/ form starts from the same text.
BODY_SECTIONS = (
    ("ความเป็นมาและความสำคัญ", "ปัญหาที่พบ และเหตุผลที่พัฒนาผลงานนี้"),
    ("วัตถุประสงค์", "ผลงานนี้ต้องการให้เกิดอะไร เขียนเป็นข้อ ๆ"),
    ("ขั้นตอนการดำเนินงาน", "ทำอะไร กับใคร อย่างไร ตามลำดับ"),
    ("ผลการดำเนินงาน", "ผลที่เกิดขึ้นกับผู้เรียน ครู หรือสถานศึกษา (ไม่ระบุชื่อนักเรียน)"),
    ("ปัจจัยความสำเร็จ", "อะไรทำให้ผลงานสำเร็จ"),
    ("บทเรียนที่ได้รับ", "ข้อคิด ข้อเสนอแนะสำหรับผู้ที่จะนำไปใช้"),
)


def format_body_template() -> str:
    return "\n".join(f"## {heading}\n\n<!-- {hint} -->\n" for heading, hint in BODY_SECTIONS)


@dataclass(frozen=True)
class AuthorDraft:
    name: str
    position: str = ""
    email: str = ""


@dataclass(frozen=True)
class AwardDraft:
    title: str
    level: str
    year: int


@dataclass(frozen=True)
class EntryDraft:
    """An entry before it is written: every value as the teacher gave it (Thai labels)."""

    title: str
    type: str
    category: str
    year: int
    authors: tuple[AuthorDraft, ...]
    school_name: str
    district: str
    affiliation: str
    summary: str
    slug: str
    title_en: str = ""
    subjects: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    award: AwardDraft | None = None
    attachments: tuple[tuple[str, str], ...] = ()  # (file name, description)
    links: tuple[tuple[str, str], ...] = ()  # (url, description)
    license: str = ""
    submitted: dt.date | None = None
    body: str = field(default_factory=format_body_template)


# --- formatting ----------------------------------------------------------------------

# YAML 1.1 reads these as booleans or null; quoting keeps them text.
_YAML_WORDS = {"y", "yes", "n", "no", "true", "false", "on", "off", "null", "~"}
_PLAIN_START = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`]")
_NUMBER_LIKE = re.compile(r"^[-+.\d][\d\-_:.+eE ]*$")


def format_yaml_scalar(value: str) -> str:
    """A one-line YAML value: plain when unambiguous, otherwise double-quoted (JSON)."""
    plain = (
        value == value.strip()
        and _PLAIN_START.match(value)
        and ":" not in value
        and "#" not in value
        and "\n" not in value
        and value.lower() not in _YAML_WORDS
        and not _NUMBER_LIKE.match(value)
    )
    return value if plain else json.dumps(value, ensure_ascii=False)


def _block(text: str, indent: str = "  ") -> str:
    """A folded block scalar: any text, no quoting rules for a teacher to break."""
    lines = [line.strip() for line in text.strip().split("\n")]
    return ">-\n" + "\n".join(f"{indent}{line}" if line else "" for line in lines)


def format_front_matter(draft: EntryDraft) -> str:
    q = format_yaml_scalar
    lines = [f"title: {q(draft.title)}"]
    if draft.title_en:
        lines.append(f"title_en: {q(draft.title_en)}")
    lines += [
        f"type: {q(draft.type)}",
        f"category: {q(draft.category)}",
        f"year: {draft.year}",
        "authors:",
    ]
    for author in draft.authors:
        lines.append(f"  - name: {q(author.name)}")
        if author.position:
            lines.append(f"    position: {q(author.position)}")
        if author.email:
            lines.append(f"    email: {q(author.email)}")
    lines += [
        "school:",
        f"  name: {q(draft.school_name)}",
        f"  district: {q(draft.district)}",
        f"  affiliation: {q(draft.affiliation)}",
    ]
    for key, values in (
        ("subjects", draft.subjects),
        ("levels", draft.levels),
        ("keywords", draft.keywords),
    ):
        if values:
            lines.append(f"{key}:")
            lines += [f"  - {q(value)}" for value in values]
    lines.append(f"summary: {_block(draft.summary)}")
    if draft.award:
        lines += [
            "award:",
            f"  title: {q(draft.award.title)}",
            f"  level: {q(draft.award.level)}",
            f"  year: {draft.award.year}",
        ]
    for key, items, first in (
        ("attachments", draft.attachments, "file"),
        ("links", draft.links, "url"),
    ):
        if items:
            lines.append(f"{key}:")
            for value, title in items:
                lines += [f"  - {first}: {q(value)}", f"    title: {q(title or value)}"]
    if draft.license:
        lines.append(f"license: {q(draft.license)}")
    if draft.submitted:
        lines.append(f"submitted: {draft.submitted.isoformat()}")
    return "---\n" + "\n".join(lines) + "\n---\n"


def format_entry(draft: EntryDraft) -> str:
    """The complete `index.md`: front matter, then the Markdown body."""
    body = draft.body.strip()  # as GitHub's issue form hands it over: routes agree
    return format_front_matter(draft) + (body + "\n" if body else "")


# --- slugs, years, vocabulary values -------------------------------------------------


def current_be_year(today: dt.date | None = None) -> int:
    return (today or dt.date.today()).year + 543


def format_slug(text: str) -> str:
    """ASCII lowercase words joined by hyphens, e.g. 'Reading Kit!' → 'reading-kit'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())[:SLUG_MAX_WORDS]
    slug = "-".join(words)
    while len(slug) > SLUG_MAX_CHARS and "-" in slug:
        slug = slug.rsplit("-", 1)[0]
    return slug[:SLUG_MAX_CHARS]


def transliterate(text: str) -> str:
    """Thai words in Royal Institute romanisation, separated by spaces; other text kept."""
    from pythainlp.tokenize import word_tokenize
    from pythainlp.transliterate import romanize

    words = []
    for word in word_tokenize(text, engine="newmm", keep_whitespace=False):
        words.append(romanize(word, engine="royin") if re.search("[\u0e01-\u0e4e]", word) else word)
    return " ".join(words)


def suggest_slug(title: str, title_en: str = "") -> str:
    """A folder name from the English title, else from the Thai title transliterated."""
    slug = format_slug(title_en)
    if not slug and title.strip():
        slug = format_slug(transliterate(title))
    return slug or FALLBACK_SLUG


def read_taken_slugs(root: Path) -> set[str]:
    return {p.name for p in (root / ENTRIES_FOLDER).glob("*/*") if p.is_dir()}


def plan_unique_slug(root: Path, slug: str) -> str:
    """`slug`, or `slug-2`, `slug-3`, … if an entry of any year already uses it."""
    taken = read_taken_slugs(root)
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


def format_entry_path(year: int, slug: str) -> str:
    return f"{ENTRIES_FOLDER}/{year}/{slug}/index.md"


def resolve_choice(vocabularies: Vocabularies, kind: str, text: str) -> str:
    """The Thai label for what was typed (label, alias, code or English), or IfteError."""
    vocabulary = vocabularies[kind]
    term = vocabulary.lookup(text)
    if term is None:
        kind_th, kind_en = KINDS[kind]
        suggestion = vocabulary.suggest(text)
        hint_th = f' หมายถึง "{suggestion}" ใช่ไหม?' if suggestion else ""
        hint_en = f' Did you mean "{suggestion}"?' if suggestion else ""
        choices = ", ".join(t.th for t in vocabulary.terms)
        raise IfteError(
            f'{kind_th} "{text}" ไม่มีในรายการ{hint_th} (เลือกจาก: {choices})',
            f'{kind_en.capitalize()} "{text}" is not in the list.{hint_en}',
        )
    return term.th


def resolve_choices(vocabularies: Vocabularies, kind: str, texts: Iterable[str]) -> tuple[str, ...]:
    labels: list[str] = []
    for text in texts:
        label = resolve_choice(vocabularies, kind, text)
        if label not in labels:
            labels.append(label)
    return tuple(labels)


def write_new_entry(root: Path, draft: EntryDraft) -> Path:
    """Create `innovations/<year>/<slug>/index.md`; never overwrites an existing entry."""
    from build_tools.core.writing import write_text_atomic

    path = root / format_entry_path(draft.year, draft.slug)
    if draft.slug in read_taken_slugs(root):
        raise IfteError(
            f'ชื่อโฟลเดอร์ "{draft.slug}" มีผลงานอื่นใช้แล้ว เลือกชื่ออื่น '
            f"เช่น {plan_unique_slug(root, draft.slug)}",
            f'The folder name "{draft.slug}" is taken; choose another',
        )
    write_text_atomic(path, format_entry(draft))
    return path
