"""`ifte search "คำค้น"`: the site's search from the command line (supervisors, reports).

Brings the search pack the build keeps (`.cache/ifte/…/search-pack.sqlite`) up to date
first, as a build does (only changed entries are analysed again; a fresh clone makes it),
so the answers are the ones the site gives after the next build.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import click

from build_tools.core.errors import IfteError
from build_tools.core.loader import load_repository
from build_tools.core.thai import normalize
from build_tools.search.searcher import SearchResults, format_hit_snippet, open_searcher
from build_tools.search.suggestions import PhraseList, plan_phrases

_FILTERS = {
    "district": "districts",
    "type": "types",
    "category": "categories",
    "subject": "subjects",
    "affiliation": "affiliations",
}


def _facet_code(catalog, option: str, text: str) -> str:
    vocabulary = catalog.vocabularies[_FILTERS[option]]
    term = vocabulary.lookup(text)
    if term is None:
        hint = vocabulary.suggest(text)
        raise click.BadParameter(
            f"ไม่รู้จัก “{text}”"
            + (f" — หมายถึง “{hint}” ใช่ไหม?" if hint else "")
            + f" / Unknown value “{text}”",
            param_hint=f"--{option}",
        )
    return term.code


# Between the entries holding every word and those holding some: the same text as the
# header box and the search page.
PARTIAL_DIVIDER = "ผลงานที่ตรงบางคำ (some words only)"


def format_count(results: SearchResults) -> str:
    text = f"พบ {results.total} รายการ"
    if results.partial:
        text += f" · ตรงบางคำอีก {results.partial} รายการ"
    return text + f" (found {results.total}, {results.partial} with some words)"


def format_results_text(results: SearchResults) -> str:
    lines = [f"ค้นหา “{results.query}” — {format_count(results)}"]
    plan = results.plan
    if plan.corrected:
        lines.append(
            f"หมายถึง “{plan.corrected}” ใช่ไหม? แสดงผลของคำนี้ (did you mean) — "
            f"ค้นหาตามที่พิมพ์ / search as typed: --exact"
        )
    if plan.ignored:
        words = " ".join(f"“{w}”" for w in plan.ignored)
        lines.append(f"ไม่นับคำทั่วไป {words} (common words ignored)")
    for rank, hit in enumerate(results.hits, start=1):
        record = hit.record
        if not hit.every_word and (rank == 1 or results.hits[rank - 2].every_word):
            lines += ["", f"──── {PARTIAL_DIVIDER} ────"]
        lines += [
            "",
            f"{rank:>2}. {record['t']}",
            f"    พ.ศ. {record['y']} · {record['s']} · อ.{record['d']} · {record['k']}",
            f"    {record['u']}",
            f"    {format_hit_snippet(hit)}",
        ]
    return "\n".join(lines)


def format_results_json(results: SearchResults) -> str:
    return json.dumps(
        {
            "query": results.query,
            "corrected": results.plan.corrected,
            "ignored": list(results.plan.ignored),
            "total": results.total,
            "partial": results.partial,
            "results": [
                {
                    "id": hit.id,
                    "title": hit.record["t"],
                    "url": hit.record["u"],
                    "year": hit.record["y"],
                    "school": hit.record["s"],
                    "district": hit.record["d"],
                    "type": hit.record["k"],
                    "score": round(hit.score, 6),
                    "every_word": hit.every_word,
                    "snippet": format_hit_snippet(hit),
                }
                for hit in results.hits
            ],
        },
        ensure_ascii=False,
        indent=2,
    )


@click.command("search")
@click.argument("query")
@click.option("--year", help="ปี พ.ศ. / Buddhist Era year, e.g. 2567")
@click.option("--district", help="อำเภอ (ชื่อหรือรหัส) / district label or code")
@click.option("--type", "type_", help="ประเภท / type (นวัตกรรม, Best Practice)")
@click.option("--category", help="ด้าน / category")
@click.option("--subject", help="กลุ่มสาระ / learning area")
@click.option("--affiliation", help="สังกัด / affiliation")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True, help="ผลเป็น JSON / print JSON")
@click.option("--exact", is_flag=True, help="ค้นหาตามที่พิมพ์ ไม่แก้คำผิด / search as typed")
@click.option(
    "--root",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="โฟลเดอร์โครงการ / project folder (default: found from the current folder)",
)
def search_command(
    query, year, district, type_, category, subject, affiliation, limit, as_json, exact, root
) -> None:
    """ค้นหาผลงานแบบเดียวกับช่องค้นหาบนเว็บไซต์ (search entries like the site does)."""
    from build_tools.core.loader import find_project_root

    root = (root or find_project_root(Path.cwd())).resolve()
    catalog = load_repository(root)
    filters: dict[str, str] = {}
    if year:
        digits = normalize(year).strip()
        if not digits.isdigit():
            raise click.BadParameter(f"“{year}” ไม่ใช่ปี พ.ศ. / not a year", param_hint="--year")
        filters["year"] = digits
    for option, value in (
        ("district", district),
        ("type", type_),
        ("category", category),
        ("subject", subject),
        ("affiliation", affiliation),
    ):
        if value:
            facet = "subjects" if option == "subject" else option
            filters[facet] = _facet_code(catalog, option, value)
    try:
        with open_searcher(catalog.entries, catalog.vocabularies, root) as searcher:
            phrases = PhraseList(plan_phrases(catalog.entries, catalog.vocabularies))
            results = searcher.search(
                query, limit=limit, filters=filters, phrases=phrases, correct=not exact
            )
    except (OSError, sqlite3.Error) as error:  # a read-only folder, a build holding the pack
        raise IfteError(
            f"เปิดดัชนีค้นหาไม่ได้: {error} — ลองอีกครั้งเมื่อการสร้างเว็บไซต์เสร็จ",
            f"Cannot open the search index: {error} — try again when the site build ends",
        ) from None
    click.echo(format_results_json(results) if as_json else format_results_text(results))
