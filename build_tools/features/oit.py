"""The ITA/OIT evidence map: OIT item code → the page that is its evidence.

In the yearly Integrity and Transparency Assessment (ITA) the office answers each
OIT item with a URL on its main website. Item numbers change every fiscal year,
so the map is data (`oit.yml` at the project root) that the office edits; this
module checks it and renders `/oit/`, a dated page the main site links to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from build_tools.core.errors import ConfigError
from build_tools.core.history import read_git_dates
from build_tools.core.site import GeneratedPage, SiteSettings
from build_tools.features.govpages import format_date_context, plan_page_date, read_office

if TYPE_CHECKING:
    from build_tools.core.loader import Catalog

OIT_FILE = "oit.yml"
_CODE = re.compile(r"^O\d{1,3}$")
_SITE_PATH = re.compile(r"^[a-z0-9][a-z0-9/_.-]*$")  # site-relative, ASCII, no leading slash


@dataclass(frozen=True)
class OitItem:
    code: str  # "O5"
    title: str
    url: str  # site-relative ("contact/") or absolute ("https://…")
    note: str = ""

    @property
    def is_on_site(self) -> bool:
        return not self.url.startswith(("http://", "https://"))


@dataclass(frozen=True)
class OitMap:
    fiscal_year: int  # พ.ศ.
    items: tuple[OitItem, ...]
    source: str = ""  # which ITA manual the codes follow


def _fail(index: int | None, thai: str, english: str) -> ConfigError:
    where = f"{OIT_FILE} items[{index}]" if index is not None else OIT_FILE
    return ConfigError(f"{where}: {thai}", f"{where}: {english}")


def read_oit_map(root: Path) -> OitMap:
    """Read and check `oit.yml`; every mistake is a ConfigError naming the item."""
    path = root / OIT_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _fail(None, "ไม่พบไฟล์แผนที่หลักฐาน OIT", "the OIT evidence map is missing") from None
    except yaml.YAMLError as error:
        raise _fail(None, f"อ่าน YAML ไม่ได้: {error}", f"cannot read the YAML: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise _fail(
            None, "ต้องมี fiscal_year และรายการ items", "needs fiscal_year and a list of items"
        )
    year = data.get("fiscal_year")
    if not isinstance(year, int) or not 2500 <= year <= 2700:
        raise _fail(
            None,
            f"fiscal_year ต้องเป็นปีงบประมาณ พ.ศ. เช่น 2569 (ได้ {year!r})",
            f"fiscal_year must be a Buddhist Era fiscal year such as 2569 (got {year!r})",
        )
    items: list[OitItem] = []
    seen: set[str] = set()
    for index, raw in enumerate(data["items"]):
        items.append(_read_item(index, raw, seen))
    return OitMap(year, tuple(items), str(data.get("source") or ""))


def _read_item(index: int, raw: object, seen: set[str]) -> OitItem:
    if not isinstance(raw, dict):
        raise _fail(
            index,
            "แต่ละรายการต้องมี code, title และ page หรือ url",
            "each item needs code, title and page or url",
        )
    code = str(raw.get("code") or "").strip()
    title = str(raw.get("title") or "").strip()
    if not _CODE.match(code):
        raise _fail(
            index,
            f'code ต้องเป็นรูปแบบ O1, O12 (ได้ "{code}")',
            f'code must look like O1 or O12 (got "{code}")',
        )
    if code in seen:
        raise _fail(index, f"code {code} ซ้ำ", f"code {code} appears twice")
    seen.add(code)
    if not title:
        raise _fail(index, f"{code} ไม่มี title", f"{code} has no title")
    page, url = raw.get("page"), raw.get("url")
    if bool(page) == bool(url):
        raise _fail(
            index,
            f"{code} ต้องมี page (หน้าในเว็บไซต์นี้) หรือ url (เว็บไซต์อื่น) อย่างใดอย่างหนึ่ง",
            f"{code} needs exactly one of page (on this site) or url (elsewhere)",
        )
    if page:
        page = str(page).strip()
        if not _SITE_PATH.match(page) or ".." in page:
            raise _fail(
                index,
                f'{code}: page ต้องเป็นที่อยู่ในเว็บไซต์ เช่น contact/ (ได้ "{page}")',
                f'{code}: page must be a path on this site such as contact/ (got "{page}")',
            )
        target = page
    else:
        target = str(url).strip()
        if not target.startswith("https://"):
            raise _fail(
                index, f"{code}: url ต้องขึ้นต้นด้วย https://", f"{code}: url must start with https://"
            )
    return OitItem(code, title, target, str(raw.get("note") or "").strip())


def format_absolute_url(item: OitItem, site_url: str) -> str:
    """What the office pastes into the ITA system: a full URL."""
    if not item.is_on_site or not site_url:
        return item.url
    return site_url.rstrip("/") + "/" + item.url


def generate_oit_page(catalog: Catalog, settings: SiteSettings) -> Iterable[GeneratedPage]:
    oit = read_oit_map(settings.root)
    office = read_office(settings.extra)
    source = settings.root / OIT_FILE
    date = plan_page_date(settings.root, (source,), read_git_dates(settings.root, OIT_FILE))
    yield GeneratedPage(
        src_uri="oit.md",
        title=f"ข้อมูลสาธารณะเพื่อการประเมิน ITA (OIT) ปีงบประมาณ พ.ศ. {oit.fiscal_year}",
        template="oit.html",
        context={
            "gov": {"slug": "oit", **format_date_context(date)},
            "office": {"name": office.name, "email": office.email},
            "oit": {
                "fiscal_year": oit.fiscal_year,
                "source": oit.source,
                "items": [
                    {
                        "code": item.code,
                        "title": item.title,
                        "url": item.url,
                        "is_on_site": item.is_on_site,
                        "absolute_url": format_absolute_url(item, settings.site_url),
                        "note": item.note,
                    }
                    for item in oit.items
                ],
            },
        },
    )
