"""Filling the committee's blank score sheets the way a member would (for tests and for
the sample round's scores): a score per criterion from a base level per entry."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

# Base level (0–10) of each sample candidate: two excellent, three very good, the rest below.
SAMPLE_LEVELS = {
    "2568/bar-model-math-problem-solving": 9.4,
    "2568/safe-school-management": 9.1,
    "2568/inclusive-education-supervision": 8.6,
    "2567/smart-farm-iot-vocational": 8.3,
    "2568/thai-essay-peer-feedback": 8.2,
    "2567/coding-coaching-supervision": 7.8,
    "2568/physical-fitness-tracking": 7.6,
    "2567/school-bank-financial-literacy": 7.4,
    "2568/school-data-governance-pdpa": 7.2,
    "2567/analytical-thinking-question-bank": 7.0,
    "2568/dinsorpong-community-products-nfe": 6.8,
    "2567/young-guides-english-tourism": 6.5,
}


def plan_score(entry_id: str, member: str, criterion: int, level: float) -> int:
    """A whole score near `level`: each member and criterion a little above or below."""
    noise = hashlib.sha256(f"{entry_id} {member} {criterion}".encode()).digest()[0] % 3 - 1
    return max(0, min(10, round(level + noise * 0.6)))


def fill_sheet(path: Path, levels: dict[str, float] = SAMPLE_LEVELS) -> Path:
    """Write the scores into a blank sheet (as Excel would: UTF-8 with BOM, CRLF)."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    member, header = rows[0][1], rows[1]
    criteria = len(header) - 4
    for row in rows[2:]:
        level = levels[row[0]]
        for index in range(criteria):
            row[3 + index] = str(plan_score(row[0], member, index, level))
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_text("\ufeff" + out.getvalue(), encoding="utf-8")
    return path
