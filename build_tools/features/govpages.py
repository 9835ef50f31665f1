"""Government website items (DGA website standard v3.0) generated from settings.

A provincial office's website is judged on a set of pages every government site
must have: about, contact, website/privacy/security policies, an accessibility
statement, a site map page and Q&A, each with a visible "last updated" date.
This module turns the office settings in mkdocs.yml (`extra.office`) into those
pages:

- The page list (`GOV_PAGES`) is fixed here; their Thai text lives in
  `theme/gov/<slug>.html`, printed inside `theme/gov-page.html`.
- `about`, `contact` and `privacy` may also be written by hand as
  `content/<slug>.md`; the hand-written text then replaces the default text,
  and the settings-driven parts (contact details, date) are still added.
- A page's date is the newest git commit date of what it is made of (its text
  and the settings file), so it changes only when the page does.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from build_tools.core.errors import ConfigError
from build_tools.core.history import last_updated, read_git_dates
from build_tools.core.site import GeneratedPage, SiteSettings
from build_tools.core.thaidate import format_thai_date
from build_tools.pages.listings import plan_facet_counts_cached

if TYPE_CHECKING:
    from build_tools.core.loader import Catalog

SETTINGS_FILE = "mkdocs.yml"
CONTENT_FOLDER = "content"
THEME_FOLDER = "theme"
TEXT_FOLDER = f"{THEME_FOLDER}/gov"  # one Jinja partial of Thai text per page


@dataclass(frozen=True)
class GovPage:
    slug: str  # URL folder and text partial name: "website-policy" → /website-policy/
    title: str
    title_en: str
    hand_written: bool = False  # content/<slug>.md may replace the default text
    template: str = "gov-page.html"


# Order = order in the footer and on the site map page.
GOV_PAGES: tuple[GovPage, ...] = (
    GovPage(
        "about", "เกี่ยวกับโครงการและหน่วยงาน", "About the project and the office", hand_written=True
    ),
    GovPage("contact", "ติดต่อเรา", "Contact us", hand_written=True),
    GovPage("faq", "คำถามที่พบบ่อยสำหรับครู", "FAQ for teachers"),
    GovPage("website-policy", "นโยบายเว็บไซต์", "Website policy"),
    GovPage("privacy", "นโยบายคุ้มครองข้อมูลส่วนบุคคล", "Privacy policy (PDPA)", hand_written=True),
    GovPage("security-policy", "นโยบายการรักษาความมั่นคงปลอดภัยเว็บไซต์", "Website security policy"),
    GovPage("accessibility", "การเข้าถึงเว็บไซต์", "Accessibility statement"),
    GovPage("sitemap", "แผนผังเว็บไซต์", "Site map", template="sitemap-page.html"),
)

# What a government contact page must show; the rest of `extra.office` is optional
# (hours, fax, dpo_email, accessibility_email, website, map_url, facebook, line).
REQUIRED_OFFICE_FIELDS = ("name", "address", "phone", "email")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_MARKDOWN_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Office:
    """The office that publishes the site, as `extra.office` describes it."""

    name: str
    address: str
    phone: str
    email: str
    name_en: str = ""
    hours: str = ""
    fax: str = ""
    website: str = ""
    map_url: str = ""
    dpo_email: str = ""  # data protection officer; falls back to `email`
    accessibility_email: str = ""  # reports of accessibility problems; falls back to `email`

    @property
    def privacy_contact(self) -> str:
        return self.dpo_email or self.email

    @property
    def accessibility_contact(self) -> str:
        return self.accessibility_email or self.email

    @property
    def phone_uri(self) -> str:
        """tel: link target: digits only, Thai numbers as +66 (0 3641 1234 → +6636411234)."""
        digits = re.sub(r"[^\d+]", "", self.phone.split(",")[0])
        return "+66" + digits[1:] if digits.startswith("0") else digits


def read_office(extra: Mapping) -> Office:
    """`extra.office` from mkdocs.yml, checked; a missing field names itself in both languages."""
    raw = extra.get("office") if isinstance(extra, Mapping) else None
    if not isinstance(raw, Mapping):
        raise ConfigError(
            f"ไม่พบข้อมูลหน่วยงาน extra.office ใน {SETTINGS_FILE}",
            f"{SETTINGS_FILE} has no extra.office (the office's name and contact details)",
        )
    known = set(Office.__dataclass_fields__)
    values = {
        key: str(value).strip() for key, value in raw.items() if key in known and value is not None
    }
    missing = [name for name in REQUIRED_OFFICE_FIELDS if not values.get(name)]
    if missing:
        fields = ", ".join(f"extra.office.{name}" for name in missing)
        raise ConfigError(
            f"ข้อมูลหน่วยงานใน {SETTINGS_FILE} ไม่ครบ: ต้องมี {fields} "
            "(หน้าติดต่อเราตามมาตรฐานเว็บไซต์ภาครัฐต้องแสดงข้อมูลนี้)",
            f"{SETTINGS_FILE} lacks {fields} (a government contact page must show them)",
        )
    for name in ("email", "dpo_email", "accessibility_email"):
        if values.get(name) and not _EMAIL.match(values[name]):
            raise ConfigError(
                f'extra.office.{name} ใน {SETTINGS_FILE} ไม่ใช่อีเมล: "{values[name]}"',
                f"extra.office.{name} in {SETTINGS_FILE} is not an e-mail address: "
                f'"{values[name]}"',
            )
    return Office(**values)


@dataclass(frozen=True)
class HandWritten:
    title: str
    body: str  # Markdown without front matter
    path: Path


def read_hand_written(root: Path, slug: str) -> HandWritten | None:
    """content/<slug>.md, if someone wrote it: its title and Markdown body."""
    path = root / CONTENT_FOLDER / f"{slug}.md"
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8-sig")
    title, body = "", text
    match = _FRONT_MATTER.match(text)
    if match:
        body = text[match.end() :]
        try:
            meta = yaml.safe_load(match.group(1)) or {}
        except yaml.YAMLError as error:
            raise ConfigError(
                f"อ่านส่วนหัว YAML ของ {path.relative_to(root)} ไม่ได้: {error}",
                f"Cannot read the YAML front matter of {path.relative_to(root)}: {error}",
            ) from None
        if isinstance(meta, Mapping) and meta.get("title"):
            title = str(meta["title"])
    if not title and (heading := _MARKDOWN_H1.search(body)):
        title = heading.group(1)
    return HandWritten(title, body, path)


def read_page_sources_dates(root: Path) -> dict[str, dt.date]:
    """Last-commit dates of every file a government page can be made of (three `git log`s)."""
    dates: dict[str, dt.date] = {}
    for place in (CONTENT_FOLDER, THEME_FOLDER, SETTINGS_FILE):
        dates.update(read_git_dates(root, place))
    return dates


def plan_page_date(
    root: Path, sources: Iterable[Path], git_dates: dict[str, dt.date]
) -> dt.date | None:
    """Newest date among a page's source files (file time for files git does not know yet)."""
    return max((last_updated(p, root, git_dates) for p in sources if p.is_file()), default=None)


def format_date_context(date: dt.date | None) -> dict:
    return {
        "updated_thai": format_thai_date(date),
        "updated_iso": date.isoformat() if date else "",
    }


def plan_site_map(catalog: Catalog) -> list[dict]:
    """Every listing a visitor can browse, by facet, for the site map page."""
    return [
        {
            "title": facet.title_th,
            "title_en": facet.title_en,
            "values": [asdict(value) for value in values],
        }
        for facet, values in plan_facet_counts_cached(catalog)
    ]


def generate_gov_pages(catalog: Catalog, settings: SiteSettings) -> Iterable[GeneratedPage]:
    """One page per item of `GOV_PAGES`, rendered with the office settings and a date."""
    root = settings.root
    git_dates = read_page_sources_dates(root)
    office = read_office(settings.extra)
    settings_file = root / SETTINGS_FILE
    links = [{"title": p.title, "title_en": p.title_en, "url": f"{p.slug}/"} for p in GOV_PAGES]
    newest_entry = max((e.updated for e in catalog.entries if e.updated), default=None)
    for page in GOV_PAGES:
        hand_written = read_hand_written(root, page.slug) if page.hand_written else None
        if hand_written:
            text_file = hand_written.path
        elif page.template == "gov-page.html":
            text_file = root / TEXT_FOLDER / f"{page.slug}.html"
        else:
            text_file = root / THEME_FOLDER / page.template
        date = plan_page_date(root, (text_file, settings_file), git_dates)
        title = hand_written.title if hand_written and hand_written.title else page.title
        context = {
            "gov": {
                "slug": page.slug,
                "title": title,
                "title_en": page.title_en,
                "text": None if hand_written else f"gov/{page.slug}.html",
                **format_date_context(date),
            },
            "office": asdict(office)
            | {
                "privacy_contact": office.privacy_contact,
                "accessibility_contact": office.accessibility_contact,
                "phone_uri": office.phone_uri,
            },
            "gov_pages": links,
        }
        if page.slug == "sitemap":
            # The site map changes whenever an entry adds a listing value.
            date = max(filter(None, (date, newest_entry)), default=None)
            context["gov"].update(format_date_context(date))
            context["site_map_facets"] = plan_site_map(catalog)
        yield GeneratedPage(
            src_uri=f"{page.slug}.md",
            title=title,
            template=page.template,
            context=context,
            # Pages mkdocs.yml lists in its nav must be "in nav"; the others are linked
            # from every page's footer.
            in_nav=page.hand_written,
            body=hand_written.body if hand_written else "",
        )
