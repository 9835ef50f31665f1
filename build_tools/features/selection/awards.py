"""Writing a round's awards into the entries' front matter, as a reviewable change.

Each awarded entry's `index.md` gets an `award:` block (title, level, year) put in place of
the block this round wrote before, or added before the closing `---`: a minimal text edit,
never a YAML re-dump, so the diff shows exactly the award. An entry already holding another
award (from elsewhere) is left alone and reported: an entry holds one award.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from build_tools.core.vocabularies import Vocabularies
from build_tools.features.selection.results import Result
from build_tools.features.selection.rounds import SelectionRound


@dataclass(frozen=True)
class AwardEdit:
    path: Path
    text: str | None  # the new file text; None when the entry is left alone
    note_th: str
    note_en: str


def format_award_title(selection: SelectionRound, result: Result) -> str:
    return f"{selection.award_title} ระดับ{result.award.title} ({selection.title})"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def format_award_block(
    selection: SelectionRound, result: Result, vocabularies: Vocabularies
) -> str:
    level = vocabularies.label("award_levels", selection.award_scope)
    return (
        f"award:\n  title: {_quoted(format_award_title(selection, result))}\n"
        f"  level: {level}\n  year: {selection.year}\n"
    )


def plan_front_matter_edit(text: str, block: str, title: str) -> tuple[str | None, str]:
    """(new text or None, what happened: "added", "same", "replaced", "other-award")."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None, "other-award"
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if close is None:
        return None, "other-award"
    start = next((i for i in range(1, close) if lines[i].startswith("award:")), None)
    if start is None:
        return "".join(lines[:close]) + block + "".join(lines[close:]), "added"
    end = start + 1
    while end < close and lines[end][:1] in (" ", "\t"):
        end += 1
    current = "".join(lines[start:end])
    if current == block:
        return None, "same"
    if title not in current and _quoted(title) not in current:
        return None, "other-award"
    return "".join(lines[:start]) + block + "".join(lines[end:]), "replaced"


def plan_award_edits(
    selection: SelectionRound,
    results: Iterable[Result],
    entries: dict,
    vocabularies: Vocabularies,
) -> list[AwardEdit]:
    edits = []
    for result in results:
        if result.award is None:
            continue
        entry = entries[result.entry]
        text = entry.source_path.read_text(encoding="utf-8")
        block = format_award_block(selection, result, vocabularies)
        new, what = plan_front_matter_edit(text, block, format_award_title(selection, result))
        notes = {
            "added": ("เพิ่มรางวัลแล้ว", "award added"),
            "replaced": ("แก้รางวัลของรอบนี้แล้ว", "this round's award updated"),
            "same": ("มีรางวัลนี้อยู่แล้ว", "already holds this award"),
            "other-award": (
                "มีรางวัลอื่นอยู่แล้ว ไม่ได้เขียนทับ (แก้ด้วยตนเองหากต้องการ)",
                "holds another award: left alone (edit it by hand if need be)",
            ),
        }[what]
        edits.append(AwardEdit(entry.source_path, new, *notes))
    return edits
