"""Controlled vocabularies (districts, affiliations, learning areas, …).

They live in `vocabularies.yml` at the project root so office staff can edit them
without touching code. Each term has a stable ASCII `code` (URLs, open data), a
Thai label `th` (what teachers write) and an English label `en`; `aliases` are
other spellings accepted on input.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from build_tools.core.errors import ConfigError

VOCABULARY_FILE = "vocabularies.yml"

# The kinds the entry format uses, with a Thai and English name for messages.
KINDS: dict[str, tuple[str, str]] = {
    "types": ("ประเภทผลงาน", "type"),
    "categories": ("ด้าน", "category"),
    "districts": ("อำเภอ", "district"),
    "affiliations": ("สังกัด", "affiliation"),
    "subjects": ("กลุ่มสาระการเรียนรู้", "learning area"),
    "levels": ("ระดับชั้น", "level"),
    "award_levels": ("ระดับรางวัล", "award level"),
    "licenses": ("สัญญาอนุญาต", "licence"),
}


@dataclass(frozen=True)
class Term:
    code: str
    th: str
    en: str
    aliases: tuple[str, ...] = ()


def normalize_label(text: str) -> str:
    """Key used to match what a teacher typed against labels: NFC, no spaces, casefolded."""
    text = unicodedata.normalize("NFC", text).replace("\u0e4d\u0e32", "\u0e33")
    return "".join(text.split()).casefold()


@dataclass(frozen=True)
class Vocabulary:
    kind: str
    terms: tuple[Term, ...]

    def __post_init__(self) -> None:
        index: dict[str, Term] = {}
        for term in self.terms:
            for label in (term.th, term.code, term.en, *term.aliases):
                index.setdefault(normalize_label(label), term)
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_by_code", {t.code: t for t in self.terms})

    def lookup(self, text: str) -> Term | None:
        """The term a teacher meant by `text` (Thai label, alias, code or English label)."""
        return self._index.get(normalize_label(text))  # type: ignore[attr-defined]

    def by_code(self, code: str) -> Term:
        return self._by_code[code]  # type: ignore[attr-defined]

    def closeness(self, text: str) -> tuple[float, str]:
        """(how alike 0–1, Thai label) of the label or alias nearest `text` by spelling."""
        typed = normalize_label(text)
        best = (0.0, "")
        for term in self.terms:
            for label in (term.th, *term.aliases):
                ratio = difflib.SequenceMatcher(None, typed, normalize_label(label)).ratio()
                best = max(best, (ratio, term.th))
        return best

    def suggest(self, text: str) -> str | None:
        """The Thai label meant, for "did you mean" hints: first a label or alias that
        holds what was typed ("ประวัติ" → สังคมศึกษาฯ), then the nearest
        by spelling among labels and aliases (so a misspelt sub-subject finds its area,
        not another area that happens to look alike)."""
        typed = normalize_label(text)
        keys: dict[str, str] = {}
        for term in self.terms:
            for label in (term.th, *term.aliases):
                keys.setdefault(normalize_label(label), term.th)
        if len(typed) >= 3:
            held = [key for key in keys if typed in key]
            if held:
                return keys[min(held, key=len)]
        match = difflib.get_close_matches(typed, list(keys), n=1, cutoff=0.5)
        return keys[match[0]] if match else None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.terms)


@dataclass(frozen=True)
class Vocabularies:
    by_kind: dict[str, Vocabulary]
    source: Path | None = None

    def __getitem__(self, kind: str) -> Vocabulary:
        return self.by_kind[kind]

    def find_elsewhere(self, kind: str, text: str) -> tuple[str, str] | None:
        """(other kind, Thai label) when `text`, unknown in `kind`, is clearly a value of
        another list: "การบริหารสถานศึกษา" typed as a learning area is a category."""
        own = self.by_kind[kind].closeness(text)[0]
        for other, vocabulary in self.by_kind.items():
            if other == kind:
                continue
            term = vocabulary.lookup(text)
            ratio, label = (1.0, term.th) if term else vocabulary.closeness(text)
            if ratio >= 0.8 and ratio >= own + 0.2:
                return other, label
        return None

    def label(self, kind: str, code: str) -> str:
        """Thai label of a code; the code itself if unknown (never fails while rendering)."""
        term = self.by_kind[kind]._by_code.get(code)  # type: ignore[attr-defined]
        return term.th if term else code

    def label_en(self, kind: str, code: str) -> str:
        term = self.by_kind[kind]._by_code.get(code)  # type: ignore[attr-defined]
        return term.en if term else code


def read_vocabularies(text: str, source: Path | None = None) -> Vocabularies:
    where = str(source or VOCABULARY_FILE)
    try:
        data = yaml.safe_load(text)
        _check_item_keys(yaml.compose(text), where)
    except yaml.YAMLError as error:
        raise ConfigError(
            f"อ่านไฟล์คำศัพท์ {where} ไม่ได้: {error}", f"Cannot parse vocabulary file {where}"
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(f"ไฟล์ {where} ต้องเป็นรายการแบบ key: value", f"{where} must be a mapping")
    by_kind: dict[str, Vocabulary] = {}
    for kind in KINDS:
        items = data.get(kind)
        if not isinstance(items, list) or not items:
            raise ConfigError(
                f"ไฟล์ {where} ไม่มีรายการ '{kind}'", f"{where} has no list named '{kind}'"
            )
        terms = []
        for number, item in enumerate(items, 1):
            if not isinstance(item, dict) or not all(
                isinstance(item.get(k), str) and item.get(k) for k in ("code", "th", "en")
            ):
                raise ConfigError(
                    f"ไฟล์ {where}: '{kind}' รายการที่ {number} ต้องมี code, th และ en",
                    f"{where}: item {number} of '{kind}' needs code, th and en",
                )
            aliases = tuple(str(a) for a in item.get("aliases") or ())
            terms.append(Term(item["code"], item["th"], item["en"], aliases))
        codes = [t.code for t in terms]
        if len(set(codes)) != len(codes):
            raise ConfigError(
                f"ไฟล์ {where}: '{kind}' มี code ซ้ำกัน", f"{where}: duplicate code in '{kind}'"
            )
        by_kind[kind] = Vocabulary(kind, tuple(terms))
    return Vocabularies(by_kind, source)


TERM_KEYS = ("code", "th", "en", "aliases")


def _check_item_keys(root, where: str) -> None:
    """Refuse a key a term cannot have (a typo, or the tail of a value cut at a comma in
    a `{…}` line), naming the file and line like the checker does for entries."""
    if not isinstance(root, yaml.MappingNode):
        return
    for kind_node, items in root.value:
        if kind_node.value not in KINDS or not isinstance(items, yaml.SequenceNode):
            continue
        for item in items.value:
            if not isinstance(item, yaml.MappingNode):
                continue
            for key_node, _ in item.value:
                if key_node.value not in TERM_KEYS:
                    line = key_node.start_mark.line + 1
                    raise ConfigError(
                        f'{where}:{line}: รายการใน "{kind_node.value}" มีคีย์ "{key_node.value}" '
                        f"ที่ไม่รู้จัก (ใช้ได้: {', '.join(TERM_KEYS)}; ถ้าข้อความมีจุลภาค "
                        'ให้ใส่ในเครื่องหมายคำพูด "…")',
                        f'{where}:{line}: unknown key "{key_node.value}" in "{kind_node.value}" '
                        "(quote values that contain a comma)",
                    )


def load_vocabularies(path: Path) -> Vocabularies:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(
            f"เปิดไฟล์คำศัพท์ {path} ไม่ได้ ({error.strerror})",
            f"Cannot open vocabulary file {path}",
        ) from None
    return read_vocabularies(text, path)
