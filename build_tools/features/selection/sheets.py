"""Score sheets for the committee: blank CSV sheets out, filled sheets back in.

One sheet per member (`<year>-<member>.csv`), UTF-8 with a byte-order mark so Excel on
Thai Windows shows the Thai; a sheet saved back by Excel as "CSV" (Windows-874) is read
too. Row 1 names the member, row 2 the columns, then one row per entry the member may
score (never their own school's, nor one they declared a conflict with). Problems name
the sheet, the row and the column, in the project's problem shape.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from build_tools.core.problems import Problem, make_problem
from build_tools.features.opendata.tables import format_csv
from build_tools.features.selection.rounds import Member, SelectionRound, plan_excluded

MEMBER_LABEL = "กรรมการ (member)"
FIXED_COLUMNS = ("รหัสผลงาน (entry)", "ชื่อผลงาน (title)", "สถานศึกษา (school)")
NOTE_COLUMN = "หมายเหตุ (note)"
_NUMBER = re.compile(r"^\d+(\.\d+)?$")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def format_sheet_name(selection: SelectionRound, member: Member) -> str:
    return f"{selection.year}-{member.id}.csv"


def format_sheet_header(selection: SelectionRound) -> list[str]:
    criteria = [
        f"{n}. {c.title} (0–{selection.score_max})" for n, c in enumerate(selection.criteria, 1)
    ]
    return [*FIXED_COLUMNS, *criteria, NOTE_COLUMN]


def plan_sheet_rows(
    selection: SelectionRound, member: Member, entries: Mapping[str, object]
) -> list[str]:
    """The entries `member` scores, in the candidates' order."""
    excluded = plan_excluded(selection, entries)
    return [e for e in selection.candidates if (member.id, e) not in excluded]


def format_blank_sheet(
    selection: SelectionRound, member: Member, entries: Mapping[str, object]
) -> bytes:
    blanks = [""] * (len(selection.criteria) + 1)
    rows = [
        [entry_id, entries[entry_id].title, entries[entry_id].school.name, *blanks]
        for entry_id in plan_sheet_rows(selection, member, entries)
    ]
    member_row = format_csv([MEMBER_LABEL, member.id, member.name], []).decode("utf-8-sig")
    table = format_csv(format_sheet_header(selection), rows).decode("utf-8-sig")
    return ("\ufeff" + member_row + table).encode("utf-8")


def export_blank_sheets(
    selection: SelectionRound, entries: Mapping[str, object], folder: Path
) -> list[Path]:
    from build_tools.core.writing import write_bytes_atomic

    written = []
    for member in selection.committee:
        path = folder / format_sheet_name(selection, member)
        write_bytes_atomic(path, format_blank_sheet(selection, member, entries))
        written.append(path)
    return written


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:  # Excel's "CSV" on Thai Windows saves Windows-874
        return data.decode("cp874", errors="replace")


def format_score(text: str) -> str:
    """A score as the round file keeps it: 8, 8.5 (no leading zeros, no trailing ones)."""
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    return f"{int(whole)}.{fraction}" if fraction else str(int(whole))


def read_sheet(
    shown: str, data: bytes, selection: SelectionRound, entries: Mapping[str, object]
) -> tuple[str | None, dict[str, tuple[str, ...]], list[Problem]]:
    """(member id, entry id → scores, problems) of one filled sheet; `shown` names it."""
    problems: list[Problem] = []

    def problem(code: str, row: int, column: int, header: str = "", **args: object) -> None:
        field = f"{_column_letter(column - 1)} {header}".strip() if column else header
        problems.append(make_problem(code, shown, row, column, field=field, **args))

    rows = list(csv.reader(io.StringIO(_decode(data))))
    members = {m.id: m for m in selection.committee}
    member_id = rows[0][1].strip() if rows and len(rows[0]) > 1 else ""
    if member_id not in members:
        problem("unknown-member", 1, 2, MEMBER_LABEL, value=member_id)
        return None, {}, problems
    header = format_sheet_header(selection)
    found = [cell.strip() for cell in rows[1]] if len(rows) > 1 else []
    if found[: len(header)] != header:
        problem(
            "sheet-columns",
            2,
            0,
            detail="ต้องเป็น " + " | ".join(header),
            detail_en="expected " + " | ".join(header),
        )
        return member_id, {}, problems
    excluded = plan_excluded(selection, entries)
    scores: dict[str, tuple[str, ...]] = {}
    first_row: dict[str, int] = {}
    count = len(selection.criteria)
    for number, row in enumerate(rows[2:], 3):
        if not any(cell.strip() for cell in row):
            continue
        entry_id = row[0].strip()
        if entry_id not in entries:
            problem("unknown-entry", number, 1, FIXED_COLUMNS[0], value=entry_id)
            continue
        if entry_id not in selection.candidates:
            problem("not-a-candidate", number, 1, FIXED_COLUMNS[0], value=entry_id)
            continue
        if entry_id in first_row:
            problem(
                "duplicate-id",
                number,
                1,
                FIXED_COLUMNS[0],
                value=entry_id,
                first_line=first_row[entry_id],
            )
            continue
        first_row[entry_id] = number
        reason = excluded.get((member_id, entry_id))
        if reason:
            problem(
                "conflict-of-interest",
                number,
                1,
                FIXED_COLUMNS[0],
                member=member_id,
                entry=entry_id,
                reason_th=reason[0],
                reason_en=reason[1],
            )
            continue
        values = []
        for index in range(count):
            column = len(FIXED_COLUMNS) + index
            cell = row[column].strip().translate(_THAI_DIGITS) if column < len(row) else ""
            where = (number, column + 1, header[column])
            if not cell:
                problem("score-missing", *where, member=member_id, entry=entry_id)
            elif not _NUMBER.match(cell):
                problem(
                    "wrong-type",
                    *where,
                    expected_th="ตัวเลข",
                    expected_en="a number",
                    found_th=f' "{cell}"',
                    found_en=f'"{cell}"',
                )
            elif float(cell) > selection.score_max:
                problem("score-out-of-range", *where, value=cell, low=0, high=selection.score_max)
            else:
                values.append(format_score(cell))
        if len(values) == count:
            scores[entry_id] = tuple(values)
    for entry_id in selection.candidates:
        if (member_id, entry_id) not in excluded and entry_id not in first_row:
            problem("score-missing", 0, 0, member=member_id, entry=entry_id)
    return member_id, scores, problems


def format_scores_block(
    selection: SelectionRound, scores: Mapping[str, Mapping[str, Sequence[str]]]
) -> str:
    """The round file's `scores:` section, members and entries in the round's order."""
    lines = [
        "scores:",
        "  # คะแนนต่อเกณฑ์ เรียงตาม criteria (scores per criterion, in the order of criteria)",
    ]
    for member in selection.committee:
        sheet = scores.get(member.id, {})
        if not sheet:
            continue
        lines.append(f"  {member.id}:")
        for entry_id in selection.candidates:
            if entry_id in sheet:
                lines.append(f"    {entry_id}: [{', '.join(sheet[entry_id])}]")
    return "\n".join(lines) + "\n"


def plan_round_text(text: str, block: str) -> str:
    """The round file with its `scores:` section replaced by `block` (appended when there is
    none): the rest of the file, comments included, is left as the office wrote it."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.match(r"scores\s*:", line)), None)
    if start is None:
        return text.rstrip("\n") + "\n\n" + block
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end][0] in " #\t"):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return "".join(lines[:start]) + block + "".join(lines[end:])
