"""Read one entry file into a validated `Entry`, collecting every problem.

Each field kind has a small converter (Lektor-style field types) that returns a
value or records a problem; nothing stops at the first mistake.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from build_tools.core import fields as f
from build_tools.core.attachments import (
    IMAGE_TYPES,
    MEDIA_TYPES,
    AttachmentCheck,
    check_attachment,
    format_display_name,
    format_size,
)
from build_tools.core.bodycheck import check_body_complexity, iter_body_files, plan_sections
from build_tools.core.errors import IfteError
from build_tools.core.frontmatter import decode_source, line_of, split_front_matter
from build_tools.core.model import Attachment, Author, Award, Entry, Link, School
from build_tools.core.privacy import THAI_DIGITS, scan_personal_data
from build_tools.core.problems import Problem, did_you_mean, make_problem
from build_tools.core.thaidate import format_thai_date
from build_tools.core.vocabularies import KINDS, Vocabularies

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_IMAGE_WITHOUT_ALT = re.compile(r"!\[\s*\]\(\s*<?([^)\s>]+)")

_TYPE_NAMES = {  # kind → (Thai, English) for wrong-type messages
    "text": ("ข้อความ", "text"),
    "number": ("ตัวเลข", "a number"),
    "list": ("รายการ (- …)", "a list (- …)"),
    "mapping": ("กลุ่มข้อมูล (ชื่อ: ค่า)", "a group of key: value lines"),
    "bool": ("true หรือ false", "true or false"),
}


def _found(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "mapping"
    if isinstance(node, SequenceNode):
        return "list"
    return "text"


@dataclass
class _Reader:
    """Converts front-matter nodes to values for one file, collecting problems."""

    path: str
    vocabularies: Vocabularies
    line_offset: int = 0
    problems: list[Problem] = field(default_factory=list)

    def where(self, node: Node | None) -> tuple[int, int]:
        """1-based (line, column) of a node in the whole file."""
        if node is None:
            return 0, 0
        return node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1

    def report(self, code: str, node: Node | None, name: str = "", hint=None, **args) -> None:
        line, column = self.where(node)
        self.problems.append(make_problem(code, self.path, line, column, name, hint, **args))

    def wrong_type(self, node: Node, name: str, expected: str) -> None:
        found = _found(node)
        self.report(
            "wrong-type",
            node,
            name,
            expected_th=_TYPE_NAMES[expected][0],
            expected_en=_TYPE_NAMES[expected][1],
            found_th=_TYPE_NAMES[found][0],
            found_en=_TYPE_NAMES[found][1],
        )

    # --- structure ------------------------------------------------------------------
    def mapping(self, node: MappingNode, specs: tuple[f.FieldSpec, ...], prefix: str) -> dict:
        """Known keys → converted values; reports unknown, duplicate and missing keys."""
        by_name = {spec.name: spec for spec in specs}
        values: dict[str, object] = {}
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, ScalarNode) else "?"
            name = f"{prefix}{key}"
            if key in seen:
                self.report("yaml-duplicate-key", key_node, name, key=key, first_line=seen[key])
                continue
            seen[key] = self.where(key_node)[0]
            spec = by_name.get(key)
            if spec is None:
                close = difflib.get_close_matches(key, list(by_name), n=1, cutoff=0.6)
                self.report(
                    "unknown-key",
                    key_node,
                    name,
                    did_you_mean(close[0] if close else None),
                    key=key,
                )
                continue
            if (
                isinstance(value_node, ScalarNode)
                and value_node.value == ""
                and value_node.tag.endswith(":null")
            ):
                if spec.required:
                    self.report("empty-value", value_node, name)
                continue
            value = self.value(value_node, spec, name)
            if value is not None:
                values[key] = value
        for spec in specs:
            if spec.required and spec.name not in seen:
                self.report(
                    "missing-field",
                    node,
                    f"{prefix}{spec.name}",
                    key=spec.name,
                    label=spec.label_th,
                    label_en=spec.label_en,
                )
        return values

    def value(self, node: Node, spec: f.FieldSpec, name: str):
        kind = spec.kind
        if kind == f.OBJECT:
            if not isinstance(node, MappingNode):
                return self.wrong_type(node, name, "mapping")
            return (node, self.mapping(node, spec.children, f"{name}."))
        if kind in (f.OBJECTS, f.CHOICES, f.TEXTS):
            if isinstance(node, ScalarNode) and kind != f.OBJECTS:
                items = [node]  # a single value where a list was expected: accept it
            elif not isinstance(node, SequenceNode):
                return self.wrong_type(node, name, "list")
            else:
                items = node.value
            if spec.max_items and len(items) > spec.max_items:
                self.report("too-long", node, name, length=len(items), limit=spec.max_items)
            if spec.required and not items:
                self.report("empty-value", node, name)
            results = []
            for index, item in enumerate(items):
                item_name = f"{name}[{index}]"
                if kind == f.OBJECTS:
                    if not isinstance(item, MappingNode):
                        self.wrong_type(item, item_name, "mapping")
                        continue
                    results.append((item, self.mapping(item, spec.children, f"{item_name}.")))
                else:
                    single = f.FieldSpec(
                        spec.name,
                        f.CHOICE if kind == f.CHOICES else f.TEXT,
                        spec.label_th,
                        spec.label_en,
                        vocabulary=spec.vocabulary,
                        max_length=spec.max_length,
                    )
                    converted = self.value(item, single, item_name)
                    if converted is not None and converted not in results:
                        results.append(converted)
            return results
        if not isinstance(node, ScalarNode):
            return self.wrong_type(node, name, "text")
        raw = str(node.value).strip()
        if kind == f.BOOL:
            if raw.lower() in ("true", "yes", "on"):
                return True
            if raw.lower() in ("false", "no", "off"):
                return False
            return self.wrong_type(node, name, "bool")
        if raw == "":
            if spec.required:
                self.report("empty-value", node, name)
            return None
        if spec.max_length and len(raw) > spec.max_length:
            self.report("too-long", node, name, length=len(raw), limit=spec.max_length)
        if kind == f.YEAR:
            return self.year(node, raw, name)
        if kind == f.DATE:
            return self.date(node, raw, name)
        if kind == f.CHOICE:
            vocabulary = self.vocabularies[spec.vocabulary]
            term = vocabulary.lookup(raw)
            if term is None:
                kind_th, kind_en = KINDS[spec.vocabulary]
                elsewhere = self.vocabularies.find_elsewhere(spec.vocabulary, raw)
                hint = did_you_mean(vocabulary.suggest(raw))
                if elsewhere:  # meaning before spelling: the value belongs in another field
                    other_th, other_en = KINDS[elsewhere[0]]
                    hint = (
                        f'"{raw}" คือ{other_th} "{elsewhere[1]}" ไม่ใช่{kind_th} — '
                        f"ใส่ไว้ในช่อง{other_th} (ช่องนี้เว้นได้ถ้าไม่เกี่ยว)",
                        f'"{raw}" is a {other_en} ("{elsewhere[1]}"), not a {kind_en}: '
                        "put it there (this field may be left out if it does not apply)",
                    )
                self.report(
                    "unknown-choice",
                    node,
                    name,
                    hint,
                    value=raw,
                    kind_th=kind_th,
                    kind_en=kind_en.capitalize(),
                )
                return None
            return term.code
        if kind == f.EMAIL and not EMAIL.match(raw):
            return self.report("invalid-email", node, name, value=raw)
        if kind == f.URL and not re.match(r"^https?://[^\s/]+", raw, re.IGNORECASE):
            return self.report("link-scheme", node, name, value=raw)
        return raw

    def year(self, node: Node, raw: str, name: str) -> int | None:
        plain = raw.translate(THAI_DIGITS)
        if plain != raw:
            self.report("thai-digits", node, name, value=raw, converted=plain)
        if not plain.isdigit() or len(plain) > 4:
            self.report(
                "wrong-type",
                node,
                name,
                expected_th="ปี พ.ศ. 4 หลัก",
                expected_en="a 4-digit Buddhist-Era year",
                found_th=f' "{raw}"',
                found_en=f'"{raw}"',
            )
            return None
        year = int(plain)
        if 1950 <= year <= 2100:
            self.report(
                "year-christian-era",
                node,
                name,
                hint=(f"หมายถึง {year + 543} ใช่ไหม?", f"did you mean {year + 543}?"),
                value=year,
            )
            return None
        if not f.YEAR_MIN <= year <= f.YEAR_MAX:
            self.report(
                "year-out-of-range", node, name, value=year, low=f.YEAR_MIN, high=f.YEAR_MAX
            )
            return None
        return year

    def date(self, node: Node, raw: str, name: str) -> dt.date | None:
        plain = raw.translate(THAI_DIGITS)
        try:
            value = dt.date.fromisoformat(plain)
        except ValueError:
            return self.report("invalid-date", node, name, value=raw)
        if value.year > 2400:  # written in Buddhist Era; store Christian Era internally
            value = value.replace(year=value.year - 543)
        return value


@dataclass(frozen=True)
class EntryResult:
    entry: Entry | None  # None when errors prevent building one
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class BodyInFile:
    """An entry's body left in its `index.md` (`model._KeptText`): the text from
    character `start` of the decoded file, which must still hash to `file_hash`."""

    path: str
    start: int
    file_hash: str

    def read(self) -> str:
        try:
            data = Path(self.path).read_bytes()
        except OSError:
            data = b""
        text = decode_source(data, self.path).text
        if hashlib.sha256(data).hexdigest() != self.file_hash or text is None:
            raise IfteError(
                f"ไฟล์ {self.path} ถูกแก้หรือลบระหว่างสร้างเว็บไซต์ — สั่งสร้างใหม่อีกครั้ง",
                f"{self.path} was changed or removed during the build; build again.",
            )
        return text[self.start :]


def keep_body_in_file(entry: Entry, data: bytes) -> Entry:
    """`entry` (read from `data`, its file's bytes) with the body left in the file."""
    text = decode_source(data, str(entry.source_path)).text or ""
    start = len(text) - len(entry.body)
    kept = BodyInFile(str(entry.source_path), start, entry.content_hash)
    return entry.replace(body=kept)


def parse_entry_location(relative: Path) -> tuple[int | None, str]:
    """(year, slug) from innovations/<year>/<slug>/index.md; year None if not a year."""
    parts = relative.parts
    year_text, slug = parts[-3], parts[-2]
    return (int(year_text) if year_text.isdigit() else None), slug


def read_entry(
    path: Path, project_root: Path, vocabularies: Vocabularies, data: bytes | None = None
) -> EntryResult:
    """Read and validate one `index.md`. Never raises for bad input."""
    display = (
        path.relative_to(project_root).as_posix()
        if path.is_relative_to(project_root)
        else path.as_posix()
    )
    if data is None:
        data = path.read_bytes()
    source = decode_source(data, display)
    problems = list(source.problems)
    if source.text is None:
        return EntryResult(None, tuple(problems))
    text = source.text

    relative = Path(display)
    if (
        len(relative.parts) < 4
        or relative.name != "index.md"
        or relative.parts[-4] != "innovations"
    ):
        problems.append(make_problem("folder-layout", display))
        return EntryResult(None, tuple(problems))
    folder_year, slug = parse_entry_location(relative)
    if not SLUG.match(slug):
        suggestion = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-") or "my-innovation"
        problems.append(make_problem("invalid-slug", display, value=slug, suggestion=suggestion))
    if folder_year is None:
        problems.append(make_problem("folder-layout", display))

    front = split_front_matter(text, display)
    problems.extend(front.problems)
    problems.extend(_scan_text(text, display))
    body_start = len(text) - len(front.body)  # the body is the tail of the file
    if not front.body.strip() and front.mapping is not None:
        problems.append(make_problem("body-empty", display, front.body_line))
    elif front.mapping is not None:
        sections, has_content = plan_sections(front.body)
        if not has_content:  # one error, not one warning per heading of the template
            problems.append(make_problem("body-no-content", display, front.body_line))
        for section in sections if has_content else ():
            if section.empty:
                where = line_of(text, body_start + section.offset)
                problems.append(
                    make_problem("section-empty", display, *where, value=section.heading)
                )
    for match in _IMAGE_WITHOUT_ALT.finditer(front.body):
        offset = body_start + match.start()
        problems.append(
            make_problem("image-missing-alt", display, *line_of(text, offset), value=match.group(1))
        )
    complexity = check_body_complexity(front.body)
    if complexity:
        where = line_of(text, body_start + complexity.offset)
        problems.append(
            make_problem(
                "body-too-complex",
                display,
                *where,
                detail=complexity.detail_th,
                detail_en=complexity.detail_en,
            )
        )
    if front.mapping is None:
        return EntryResult(None, tuple(problems))

    reader = _Reader(display, vocabularies, front.line_offset)
    values = reader.mapping(front.mapping, f.ENTRY_FIELDS, "")
    problems.extend(reader.problems)

    year_node = _node_of(front.mapping, "year")
    if "year" in values and folder_year is not None and values["year"] != folder_year:
        problems.append(
            make_problem(
                "year-mismatch",
                display,
                reader.where(year_node)[0],
                0,
                "year",
                value=values["year"],
                folder_year=folder_year,
            )
        )

    started, finished = values.get("started"), values.get("finished")
    if started and finished and finished < started:
        problems.append(
            make_problem(
                "dates-out-of-order",
                display,
                reader.where(_node_of(front.mapping, "finished"))[0],
                0,
                "finished",
                started=format_thai_date(started),
                finished=format_thai_date(finished),
            )
        )

    attachments = []
    for index, (node, item) in enumerate(values.get("attachments", [])):
        name = item.get("file")
        if not name:
            continue
        check = check_attachment(path.parent, name)
        where = reader.where(_node_of(node, "file") or node)
        if check.code:
            problems.append(_attachment_problem(check, display, where, name, index))
        else:
            attachments.append(
                Attachment(
                    name.replace("\\", "/"), item.get("title", name), check.size, check.media_type
                )
            )
    listed = {attachment.file for attachment in attachments}
    body_files = []
    for name, offset in iter_body_files(front.body):
        if PurePosixPath(name).suffix.lower() not in MEDIA_TYPES or name in listed:
            continue  # a page or another site's file; or published as an attachment
        check = check_attachment(path.parent, name)
        if check.code == "attachment-missing":
            # a broken image shows on the page; a broken link is the link checker's business
            if MEDIA_TYPES[PurePosixPath(name).suffix.lower()] in IMAGE_TYPES:
                where = line_of(text, body_start + offset)
                problems.append(make_problem("image-not-found", display, *where, value=name))
            continue
        if check.code:
            where = line_of(text, body_start + offset)
            problems.append(_attachment_problem(check, display, where, name))
        elif name not in body_files:
            body_files.append(name)

    cover = values.get("cover", "").replace("\\", "/")
    images = {a.file for a in attachments if a.media_type in IMAGE_TYPES} | {
        name
        for name in body_files
        if MEDIA_TYPES[PurePosixPath(name).suffix.lower()] in IMAGE_TYPES
    }
    if cover and cover not in images:
        where = reader.where(_node_of(front.mapping, "cover"))
        choices = ", ".join(sorted(images)) or "-"
        problems.append(
            make_problem("cover-not-image", display, *where, "cover", value=cover, choices=choices)
        )
        cover = ""

    if any(p.is_error for p in problems):
        return EntryResult(None, tuple(problems))

    school_values = values["school"][1]
    award = None
    if "award" in values:
        award_values = values["award"][1]
        award = Award(award_values["title"], award_values["level"], award_values["year"])
    entry = Entry(
        year=values["year"],
        slug=slug,
        title=values["title"],
        title_en=values.get("title_en", ""),
        type=values["type"],
        category=values["category"],
        authors=tuple(
            Author(a["name"], a.get("position", ""), a.get("email", ""))
            for _, a in values["authors"]
        ),
        school=School(
            school_values["name"], school_values["district"], school_values["affiliation"]
        ),
        subjects=tuple(values.get("subjects", ())),
        levels=tuple(values.get("levels", ())),
        keywords=tuple(values.get("keywords", ())),
        summary=values["summary"],
        body=front.body,
        source_path=path,
        award=award,
        attachments=tuple(attachments),
        body_files=tuple(body_files),
        links=tuple(
            Link(link["url"], link.get("title", link["url"])) for _, link in values.get("links", [])
        ),
        cover=cover,
        license=values.get("license", f.DEFAULT_LICENSE),
        submitted=values.get("submitted"),
        started=started,
        finished=finished,
        sample=values.get("sample", False),
        content_hash=hashlib.sha256(data).hexdigest(),
    )
    return EntryResult(entry, tuple(problems))


def _attachment_problem(
    check: AttachmentCheck, display: str, where: tuple[int, int], name: str, index: int = -1
) -> Problem:
    """The problem `check` found with file `name`, listed as attachment `index` or (-1)
    shown or linked by the body."""
    field_name = f"attachments[{index}].file" if index >= 0 else "body"
    args = {
        "value": format_display_name(name),
        "detail": check.detail,
        "size": format_size(check.size),
        "limit": "20 MB",
    }
    return make_problem(check.code, display, *where, field_name, **args)


def _node_of(mapping: MappingNode, key: str) -> Node | None:
    for key_node, value_node in mapping.value:
        if getattr(key_node, "value", None) == key:
            return value_node
    return None


def _scan_text(text: str, display: str) -> list[Problem]:
    problems = []
    for finding in scan_personal_data(text):
        line, column = line_of(text, finding.start)
        problems.append(make_problem(finding.kind, display, line, column, masked=finding.masked))
    return problems
