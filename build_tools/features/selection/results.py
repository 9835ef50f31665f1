"""A round's results (pure): each candidate's mean per criterion, weighted total, rank and
award level.

- A criterion's mean is the mean of the scores of the members who may score the entry
  (not those of its school, nor those who declared a conflict).
- The total (0–100) is the sum over criteria of weight × mean ÷ score_max, rounded half
  up to two decimals; award levels compare this rounded total with their `min_score`.
- Tie-break: equal totals are ordered by the mean of the criterion with the highest
  weight, then the next (equal weights in the file's order); entries equal on all of them
  share a rank (1, 2, 2, 4) and are listed by entry id.

Sums are exact (`fractions.Fraction`), so a run gives the same results on any machine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from build_tools.features.opendata.tables import format_csv
from build_tools.features.selection.rounds import AwardLevel, SelectionRound, plan_excluded


@dataclass(frozen=True)
class Result:
    entry: str  # entry id
    rank: int
    total: Decimal  # 0–100, two decimals
    means: tuple[Decimal, ...]  # per criterion, two decimals, on the 0–score_max scale
    scorers: int  # members whose scores count
    award: AwardLevel | None
    exact: tuple[Fraction, ...] = ()  # the unrounded means, for the tie-break


def format_decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def plan_award(total: Decimal, awards: tuple[AwardLevel, ...]) -> AwardLevel | None:
    """The highest level whose threshold the total reaches (`awards` is highest first)."""
    return next((a for a in awards if total >= Decimal(a.min_score)), None)


def plan_results(selection: SelectionRound, entries: Mapping[str, object]) -> tuple[Result, ...]:
    """Every candidate's result, best first; () for a round not scored yet."""
    if not selection.is_scored:
        return ()
    excluded = plan_excluded(selection, entries)
    order = sorted(range(len(selection.criteria)), key=lambda i: -selection.criteria[i].weight)
    rows = []
    for entry_id in selection.candidates:
        sheets = [
            selection.scores[m.id][entry_id]
            for m in selection.committee
            if (m.id, entry_id) not in excluded and entry_id in selection.scores.get(m.id, {})
        ]
        means = tuple(
            sum((Fraction(sheet[i]) for sheet in sheets), Fraction(0)) / max(len(sheets), 1)
            for i in range(len(selection.criteria))
        )
        total = sum(
            (
                c.weight * mean / selection.score_max
                for c, mean in zip(selection.criteria, means, strict=True)
            ),
            Fraction(0),
        )
        rounded = format_decimal(total)
        key = (rounded, *(means[i] for i in order))
        rows.append((key, entry_id, means, len(sheets), rounded))
    rows.sort(key=lambda row: (tuple(-v for v in row[0]), row[1]))
    results, rank = [], 0
    for index, (key, entry_id, means, scorers, total) in enumerate(rows):
        if index == 0 or key != rows[index - 1][0]:
            rank = index + 1
        results.append(
            Result(
                entry_id,
                rank,
                total,
                tuple(format_decimal(m) for m in means),
                scorers,
                plan_award(total, selection.awards),
                means,
            )
        )
    return tuple(results)


def format_results_csv(
    selection: SelectionRound, results: tuple[Result, ...], titles: Mapping[str, str]
) -> bytes:
    """The results as CSV for the office (UTF-8 with BOM, so Excel shows the Thai)."""
    header = [
        "อันดับ (rank)",
        "รหัสผลงาน (entry)",
        "ชื่อผลงาน (title)",
        *(f"{c.title} ({c.id})" for c in selection.criteria),
        "คะแนนรวม (total, 100)",
        "ผลการคัดเลือก (award)",
        "จำนวนกรรมการที่ให้คะแนน (members scoring)",
    ]
    rows = [
        (
            r.rank,
            r.entry,
            titles.get(r.entry, ""),
            *(str(m) for m in r.means),
            str(r.total),
            r.award.title if r.award else "",
            r.scorers,
        )
        for r in results
    ]
    return format_csv(header, rows)
