"""The selection rounds on the site: an announcement page per round, the Best Practice
showcase (`/selection/`, by round and award level), the criteria page (from the newest
round: one source), the results as CSV, a certificate PDF per awarded entry and author,
and on each awarded entry's page its award with links (`ENTRY_EXTRAS`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from build_tools.core.errors import ValidationError
from build_tools.core.loader import Catalog
from build_tools.core.problems import count_errors, format_text, sort_problems
from build_tools.core.site import (
    EntryData,
    Generated,
    GeneratedFile,
    GeneratedPage,
    SiteSettings,
)
from build_tools.core.thaidate import format_thai_date
from build_tools.features.selection.pdf import format_certificate_name, render_certificate_pdf
from build_tools.features.selection.results import Result, format_results_csv, plan_results
from build_tools.features.selection.rounds import SelectionRound, find_round_files, load_rounds
from build_tools.pages.presentation import present_entry

CRITERIA_PAGE = "best-practice-criteria.md"
SHOWCASE_PAGE = "selection/index.md"
_CODE_VERSION = "selection-1"  # bump when the certificate or page data change shape


@dataclass(frozen=True)
class Certificate:
    name: str  # file name below the round's certificates folder
    entry: str
    author: str
    make: object  # () -> bytes
    key: str


def read_certificate_settings(root: Path) -> Mapping[str, object]:
    """mkdocs.yml `extra.certificates` for the CLI (the site gets it from its settings)."""
    from build_tools.core.placeholders import read_site_settings

    return (read_site_settings(root / "mkdocs.yml").get("extra") or {}).get("certificates") or {}


def load_checked_rounds(catalog: Catalog) -> tuple[SelectionRound, ...]:
    """The rounds, or a `ValidationError` naming each problem (the build stops)."""
    rounds, problems = load_rounds(catalog)
    if count_errors(problems):
        shown = "\n".join(format_text(p) for p in sort_problems(problems) if p.is_error)
        raise ValidationError(
            f"ไฟล์รอบการคัดเลือกมีข้อผิดพลาด:\n{shown}", "A selection round file has errors (above)"
        )
    return rounds


def _data_key(catalog: Catalog, settings: Mapping[str, object]) -> str:
    digest = hashlib.sha256(_CODE_VERSION.encode())
    for file in find_round_files(catalog.root):
        digest.update(file.read_bytes())
    digest.update(repr(sorted(settings.items())).encode())
    return digest.hexdigest()[:24]


def plan_certificates(
    selection: SelectionRound, catalog: Catalog, settings: Mapping[str, object]
) -> list[Certificate]:
    entries = {entry.id: entry for entry in catalog.entries}
    certificates = []
    for result in plan_results(selection, entries):
        if result.award is None:
            continue
        entry = entries[result.entry]
        for index, author in enumerate(entry.authors):
            make = partial(
                render_certificate_pdf, selection, result, entry, index, settings, catalog.root
            )
            key = hashlib.sha256(
                repr(
                    (
                        _CODE_VERSION,
                        selection,
                        result,
                        entry.title,
                        entry.school,
                        author,
                        sorted(settings.items()),
                    )
                ).encode()
            ).hexdigest()[:24]
            certificates.append(
                Certificate(
                    format_certificate_name(entry.id, index), entry.id, author.name, make, key
                )
            )
    return certificates


def present_round(
    selection: SelectionRound, results: tuple[Result, ...], catalog: Catalog, settings: SiteSettings
) -> dict:
    """What the announcement page and the showcase print about one round."""
    entries = {entry.id: entry for entry in catalog.entries}
    v = catalog.vocabularies
    certificates: dict[str, list[dict]] = {}
    for certificate in plan_certificates(selection, catalog, {}):
        url = f"{selection.url}certificates/{certificate.name}"
        certificates.setdefault(certificate.entry, []).append(
            {"author": certificate.author, "url": url}
        )
    ranking = []
    for result in results:
        view = present_entry(entries[result.entry], v, settings.site_name, settings.site_url)
        ranking.append(
            {
                "rank": result.rank,
                "total": str(result.total),
                "means": [str(m) for m in result.means],
                "scorers": result.scorers,
                "award": result.award,
                "entry": view,
                "certificates": certificates.get(result.entry, []),
            }
        )
    levels = [
        {"level": level, "winners": [r for r in ranking if r["award"] is level]}
        for level in selection.awards
    ]
    return {
        "round": selection,
        "announced": format_thai_date(selection.announced),
        "ranking": ranking,
        "levels": levels,
        "committee": [
            {
                "member": m,
                "affiliation": v.label("affiliations", m.affiliation) if m.affiliation else "",
            }
            for m in selection.committee
        ],
        "results_csv": f"{selection.url}results.csv",
        "awarded": sum(1 for r in results if r.award),
    }


def generate_selection_pages(catalog: Catalog, settings: SiteSettings) -> Iterable[Generated]:
    rounds = load_checked_rounds(catalog)
    cert_settings = settings.extra.get("certificates") or {}
    entries = {entry.id: entry for entry in catalog.entries}
    views = []
    for selection in rounds:
        results = plan_results(selection, entries)
        view = present_round(selection, results, catalog, settings)
        views.append(view)
        if results:
            titles = {e: entries[e].title for e in selection.candidates}
            yield GeneratedFile(
                f"{selection.url}results.csv", format_results_csv(selection, results, titles)
            )
            for certificate in plan_certificates(selection, catalog, cert_settings):
                yield GeneratedFile(
                    f"{selection.url}certificates/{certificate.name}",
                    certificate.make,
                    certificate.key,
                )
        yield GeneratedPage(
            f"{selection.url}index.md",
            f"ประกาศผลการคัดเลือกแนวปฏิบัติที่เป็นเลิศ ปี พ.ศ. {selection.year}",
            "selection-round.html",
            context={"selection": view},
        )
    yield GeneratedPage(
        SHOWCASE_PAGE,
        "แนวปฏิบัติที่เป็นเลิศที่ผ่านการคัดเลือก",
        "selection.html",
        context={"selection_rounds": views},
        in_nav=True,
    )
    yield GeneratedPage(
        CRITERIA_PAGE,
        "เกณฑ์การคัดเลือกแนวปฏิบัติที่เป็นเลิศ",
        "selection-criteria.html",
        context={"selection": views[0] if views else None},
        in_nav=True,
    )


def plan_selection_extras(catalog: Catalog, settings: SiteSettings) -> dict[str, EntryData]:
    """`entry_selection` on each awarded entry's page: award, round, announcement and the
    authors' certificates (`site.ENTRY_EXTRAS`)."""
    rounds = load_checked_rounds(catalog)
    entries = {entry.id: entry for entry in catalog.entries}
    awards: dict[str, list[dict]] = {}
    for selection in rounds:
        certificates: dict[str, list[dict]] = {}
        for certificate in plan_certificates(selection, catalog, {}):
            url = f"{selection.url}certificates/{certificate.name}"
            certificates.setdefault(certificate.entry, []).append(
                {"author": certificate.author, "url": url}
            )
        for result in plan_results(selection, entries):
            if result.award is not None:
                awards.setdefault(result.entry, []).append(
                    {
                        "award_title": selection.award_title,
                        "level": result.award.title,
                        "level_en": result.award.title_en,
                        "year": selection.year,
                        "round_title": selection.title,
                        "url": selection.url,
                        "rank": result.rank,
                        "total": str(result.total),
                        "certificates": certificates.get(result.entry, []),
                    }
                )
    key = _data_key(catalog, {})
    return {
        entry_id: EntryData(partial(dict, entry_selection=items), f"{key} {items!r}")
        for entry_id, items in awards.items()
    }
