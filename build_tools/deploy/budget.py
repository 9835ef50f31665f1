"""The hosting budget: site size against the quota, and monthly transfer.

The office's plan is 20 GB of space and 200 GB of transfer a month. After each
build the site plugin prints `format_site_size(report_site_size(site))`; `ifte
deploy` refuses to go past the quota. Transfer cannot be measured before the
site is live, so it is estimated from page weight under stated assumptions
(`TrafficAssumptions`, also printed with every estimate).
"""

from __future__ import annotations

import os
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

GB = 1000**3
DEFAULT_QUOTA_BYTES = 20 * GB
DEFAULT_MONTHLY_TRANSFER_BYTES = 200 * GB

_PAGE_SUFFIXES = (".html", ".htm")
_ATTACHMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".ppt", ".pptx", ".xls", ".xlsx", ".zip", ".mp4")
# What a browser fetches to show a page: every src=, srcset= and <link href=>.
# Links in <a href> are only followed by a click, so they count as attachments.
_SRC = re.compile(r"""\b(?:src|poster)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_SRCSET = re.compile(r"""\bsrcset\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_LINK_HREF = re.compile(r"""<link\b[^>]*?\bhref\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_A_HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


@dataclass(frozen=True)
class TrafficAssumptions:
    """How the monthly transfer estimate is made; every number is printed with it."""

    page_views_per_month: int = 50_000
    pages_per_visit: float = 3.0  # shared CSS/JS/fonts are fetched once per visit
    attachment_downloads_per_view: float = 0.1  # one in ten views downloads a linked file
    crawler_overhead: float = 0.3  # search engines and other bots on top of people
    shared_fraction: float = 0.5  # used by at least this share of pages = shared


@dataclass(frozen=True)
class PageWeight:
    path: str
    html_bytes: int
    resource_bytes: int  # everything the page loads, cold cache

    @property
    def total_bytes(self) -> int:
        return self.html_bytes + self.resource_bytes


@dataclass(frozen=True)
class SiteSizeReport:
    total_bytes: int
    file_count: int
    page_count: int
    heaviest_files: tuple[tuple[str, int], ...]
    heaviest_pages: tuple[PageWeight, ...]
    average_page_bytes: int  # HTML + the page's own resources (not the shared ones)
    shared_bytes: int
    average_attachment_bytes: int
    monthly_transfer_bytes: int  # the estimate
    quota_bytes: int = DEFAULT_QUOTA_BYTES
    transfer_allowance_bytes: int = DEFAULT_MONTHLY_TRANSFER_BYTES
    assumptions: TrafficAssumptions = field(default_factory=TrafficAssumptions)

    @property
    def over_quota(self) -> bool:
        return self.total_bytes > self.quota_bytes


def report_site_size(
    site_dir: Path,
    quota_bytes: int = DEFAULT_QUOTA_BYTES,
    transfer_allowance_bytes: int = DEFAULT_MONTHLY_TRANSFER_BYTES,
    assumptions: TrafficAssumptions | None = None,
    top: int = 10,
) -> SiteSizeReport:
    """Measure a built site: sizes, heaviest files and pages, monthly transfer estimate."""
    assumptions = assumptions or TrafficAssumptions()
    sizes: dict[str, int] = {}
    for root, _dirs, names in os.walk(site_dir, followlinks=True):
        for name in names:
            path = Path(root, name)
            sizes[path.relative_to(site_dir).as_posix()] = path.stat().st_size
    pages = sorted(p for p in sizes if p.lower().endswith(_PAGE_SUFFIXES))
    loads: dict[str, set[str]] = {}
    attachments: set[str] = set()
    for page in pages:
        html = (site_dir / page).read_text(encoding="utf-8", errors="replace")
        loads[page] = _resources(page, html, sizes)
        attachments |= {
            target
            for ref in _A_HREF.findall(html)
            if (target := _resolve(page, ref, sizes))
            and target.lower().endswith(_ATTACHMENT_SUFFIXES)
        }
    usage = Counter(resource for used in loads.values() for resource in used)
    threshold = max(2, assumptions.shared_fraction * len(pages))
    shared = {resource for resource, count in usage.items() if count >= threshold}
    weights = [PageWeight(page, sizes[page], sum(sizes[r] for r in loads[page])) for page in pages]
    own = [sizes[p] + sum(sizes[r] for r in loads[p] - shared) for p in pages]
    average_page = sum(own) // len(own) if own else 0
    shared_bytes = sum(sizes[r] for r in shared)
    average_attachment = (
        sum(sizes[a] for a in attachments) // len(attachments) if attachments else 0
    )
    return SiteSizeReport(
        total_bytes=sum(sizes.values()),
        file_count=len(sizes),
        page_count=len(pages),
        heaviest_files=tuple(sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))[:top]),
        heaviest_pages=tuple(sorted(weights, key=lambda w: (-w.total_bytes, w.path))[:top]),
        average_page_bytes=average_page,
        shared_bytes=shared_bytes,
        average_attachment_bytes=average_attachment,
        monthly_transfer_bytes=plan_monthly_transfer(
            average_page, shared_bytes, average_attachment, assumptions
        ),
        quota_bytes=quota_bytes,
        transfer_allowance_bytes=transfer_allowance_bytes,
        assumptions=assumptions,
    )


def plan_monthly_transfer(
    average_page_bytes: int,
    shared_bytes: int,
    average_attachment_bytes: int,
    assumptions: TrafficAssumptions,
) -> int:
    """Bytes a month: every view fetches its page, every visit the shared files once.

    Pages are taken as equally popular and served uncompressed (shared hosts do
    not always gzip), which errs on the high side.
    """
    views = assumptions.page_views_per_month
    visits = views / assumptions.pages_per_visit
    people = (
        views * average_page_bytes
        + visits * shared_bytes
        + views * assumptions.attachment_downloads_per_view * average_attachment_bytes
    )
    return int(people * (1 + assumptions.crawler_overhead))


def _resources(page: str, html: str, sizes: dict[str, int]) -> set[str]:
    refs = _SRC.findall(html) + _LINK_HREF.findall(html)
    for srcset in _SRCSET.findall(html):
        refs += [candidate.split()[0] for candidate in srcset.split(",") if candidate.strip()]
    found = {_resolve(page, ref, sizes) for ref in refs}
    return {r for r in found if r and not r.lower().endswith(_PAGE_SUFFIXES)}


def _resolve(page: str, ref: str, sizes: dict[str, int]) -> str | None:
    ref = ref.split("#", 1)[0].split("?", 1)[0].strip()
    if not ref or ref.startswith(("http:", "https:", "//", "data:", "mailto:", "tel:")):
        return None
    if ref.startswith("/"):
        # The site may live under a prefix such as /ifte/: try dropping leading folders.
        parts = ref.strip("/").split("/")
        for start in range(len(parts)):
            candidate = "/".join(parts[start:])
            if candidate in sizes:
                return candidate
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), ref))
    return target if target in sizes else None


def format_bytes(size: float) -> str:
    """Decimal units, as hosting plans quote them (20 GB = 20,000,000,000 bytes)."""
    for unit in ("B", "KB", "MB", "GB"):
        if abs(size) < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    raise AssertionError("unreachable")


def format_site_size(report: SiteSizeReport) -> str:
    """The budget block printed after a build: Thai first, English alongside."""
    a = report.assumptions
    share = 100 * report.total_bytes / report.quota_bytes if report.quota_bytes else 0
    transfer_share = (
        100 * report.monthly_transfer_bytes / report.transfer_allowance_bytes
        if report.transfer_allowance_bytes
        else 0
    )
    lines = [
        f"ขนาดเว็บไซต์ / Site size: {format_bytes(report.total_bytes)} "
        f"({report.file_count:,} ไฟล์ / files, {report.page_count:,} หน้า / pages) — "
        f"{share:.1f}% ของโควตา / of the {format_bytes(report.quota_bytes)} quota",
    ]
    if report.over_quota:
        lines.append(
            "เกินโควตาพื้นที่! ลดขนาดไฟล์ใหญ่ก่อน deploy / Over the quota! "
            "Shrink the largest files before deploying."
        )
    lines.append("ไฟล์ใหญ่ที่สุด / Heaviest files:")
    lines += [f"  {format_bytes(size):>9}  {path}" for path, size in report.heaviest_files]
    lines.append("หน้าที่หนักที่สุด (HTML + ไฟล์ที่โหลดพร้อมหน้า) / Heaviest pages (HTML + what it loads):")
    lines += [
        f"  {format_bytes(w.total_bytes):>9}  {w.path}  (HTML {format_bytes(w.html_bytes)})"
        for w in report.heaviest_pages
    ]
    lines += [
        f"ประมาณการรับส่งข้อมูลต่อเดือน / Estimated monthly transfer: "
        f"{format_bytes(report.monthly_transfer_bytes)} — {transfer_share:.1f}% "
        f"ของ / of {format_bytes(report.transfer_allowance_bytes)}",
        f"  สมมติฐาน / Assumptions: {a.page_views_per_month:,} page views/month; "
        f"{a.pages_per_visit:g} pages per visit (shared CSS/JS/fonts "
        f"{format_bytes(report.shared_bytes)} fetched once per visit); each view fetches "
        f"its HTML + own images ({format_bytes(report.average_page_bytes)} on average, "
        f"uncompressed); {a.attachment_downloads_per_view:g} attachment downloads per view "
        f"({format_bytes(report.average_attachment_bytes)} on average); "
        f"+{a.crawler_overhead:.0%} for crawlers.",
    ]
    return "\n".join(lines)
