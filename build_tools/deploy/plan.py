"""Decide what a deploy uploads and deletes, and in which order (pure).

Order is what keeps the live site whole while files change under visitors: a
file goes live only after everything it names or links to. So the tiers are:
assets and data (content-hashed names cannot collide with what pages use now;
search shards before the search manifest that names them), then entry pages,
then the other pages deepest first (listings link to entries, the section
pages to their listings), and last the files that name others: the home page,
site maps, feeds, data catalogues and the search manifests. Each tier is in
place before the next starts, and stale files go after every upload. Only
paths an earlier deploy put on the host are ever deleted.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from build_tools.deploy.budget import format_bytes
from build_tools.deploy.manifest import FileEntry, Manifest, RemoteState, plan_remote_state

ASSETS, ENTRIES, PAGES, INDEXES = 0, 1, 2, 3
TIER_NAMES = {ASSETS: "assets and data", ENTRIES: "entry pages", PAGES: "pages", INDEXES: "indexes"}
_PAGE_SUFFIXES = (".html", ".htm")
# An entry's page, as the site lays them out (innovations/<year>/<folder>/index.html).
_ENTRY_PAGE = re.compile(r"^innovations/[0-9]+/[^/]+/index\.html?$")
# Files that name other files: the search's manifest.json (the browser reads it to find
# the shards), site maps, feeds, data catalogues. Other .json/.xml/.csv files are data.
_INDEX_NAMES = frozenset(
    {
        "manifest.json",
        "sitemap.xml",
        "sitemap.xml.gz",
        "robots.txt",
        "rss.xml",
        "atom.xml",
        "feed.json",
        "datapackage.json",
        "gdcatalog.json",
    }
)


@dataclass(frozen=True)
class Upload:
    path: str
    entry: FileEntry
    reason: str  # "new", "changed", or "unknown" (an interrupted deploy may have sent it)

    @property
    def tier(self) -> int:
        return plan_tier(self.path)


@dataclass(frozen=True)
class DeployPlan:
    local: Manifest
    remote: RemoteState
    uploads: tuple[Upload, ...]
    deletions: tuple[str, ...]
    new_dirs: tuple[str, ...]  # parents first; the host may already have some
    stale_dirs: tuple[str, ...]  # deepest first; removed only if empty
    unchanged: int

    @property
    def upload_bytes(self) -> int:
        return sum(upload.entry.size for upload in self.uploads)

    @property
    def is_empty(self) -> bool:
        return not self.uploads and not self.deletions

    @property
    def new_paths(self) -> tuple[str, ...]:
        """Uploads to paths no deploy has claimed: the host might hold someone else's file there."""
        return tuple(u.path for u in self.uploads if u.reason == "new")

    def tiers(self) -> tuple[tuple[Upload, ...], ...]:
        """Uploads grouped into the batches that must finish one before the next."""
        groups: dict[tuple[int, int], list[Upload]] = {}
        for upload in self.uploads:
            groups.setdefault(plan_stage(upload.path), []).append(upload)
        return tuple(tuple(groups[stage]) for stage in sorted(groups))

    @property
    def peak_bytes(self) -> int:
        """Space used on the host at the fullest moment (an upper bound).

        New versions sit in staging beside the old ones until renamed into
        place, and stale files go only at the end.
        """
        return max(self.remote.total_bytes + self.upload_bytes, self.local.total_bytes)


def plan_tier(path: str) -> int:
    lower = path.lower()
    if lower in ("index.html", "index.htm") or posixpath.basename(lower) in _INDEX_NAMES:
        return INDEXES
    if _ENTRY_PAGE.match(lower):
        return ENTRIES
    if lower.endswith(_PAGE_SUFFIXES):
        return PAGES
    return ASSETS


def plan_stage(path: str) -> tuple[int, int]:
    """The batch a file goes live in; each batch is in place before the next starts.

    Pages other than entries go deepest first, one depth at a time: a page links to
    the pages below it (a section to its listings, a listing to its next page).
    """
    tier = plan_tier(path)
    return tier, -_depth(path) if tier == PAGES else 0


def plan_deploy(local: Manifest, remote: RemoteState | Manifest) -> DeployPlan:
    """Compare content hashes: upload what differs, delete managed files the site dropped."""
    if isinstance(remote, Manifest):
        remote = plan_remote_state(remote, None)
    uploads = []
    for path, entry in local.files.items():
        if path in remote.unknown:
            uploads.append(Upload(path, entry, "unknown"))
        elif path not in remote.files:
            uploads.append(Upload(path, entry, "new"))
        elif remote.files[path] != entry:
            uploads.append(Upload(path, entry, "changed"))
    uploads.sort(key=lambda u: (u.tier, -_depth(u.path), u.path))
    deletions = sorted(
        remote.managed - set(local.files),
        key=lambda p: (-plan_tier(p), -_depth(p), p),
    )
    local_dirs = _dirs_of(local.files)
    known_dirs = _dirs_of(remote.files)
    new_dirs = sorted(local_dirs - known_dirs, key=lambda d: (_depth(d), d))
    stale_dirs = sorted(_dirs_of(remote.managed) - local_dirs, key=lambda d: (-_depth(d), d))
    return DeployPlan(
        local=local,
        remote=remote,
        uploads=tuple(uploads),
        deletions=tuple(deletions),
        new_dirs=tuple(new_dirs),
        stale_dirs=tuple(stale_dirs),
        unchanged=len(local.files) - len(uploads),
    )


def _depth(path: str) -> int:
    return path.count("/")


def _dirs_of(paths) -> set[str]:
    dirs: set[str] = set()
    for path in paths:
        parent = posixpath.dirname(path)
        while parent and parent not in dirs:
            dirs.add(parent)
            parent = posixpath.dirname(parent)
    return dirs


def format_plan(plan: DeployPlan) -> str:
    """The dry-run listing: every upload and deletion, then the totals."""
    marks = {"new": "+", "changed": "~", "unknown": "?"}
    lines = [
        f"{marks[u.reason]} {u.path}  ({format_bytes(u.entry.size)}, {u.entry.size} B)"
        for u in plan.uploads
    ]
    lines += [f"- {path}" for path in plan.deletions]
    lines.append(format_plan_summary(plan))
    return "\n".join(lines)


def format_plan_summary(plan: DeployPlan) -> str:
    size = f"{format_bytes(plan.upload_bytes)} ({plan.upload_bytes} B)"
    return (
        f"อัปโหลด {len(plan.uploads)} ไฟล์ {size}, ลบ {len(plan.deletions)} ไฟล์, "
        f"ไม่เปลี่ยน {plan.unchanged} ไฟล์\n"
        f"Upload {len(plan.uploads)} files, {size}; delete {len(plan.deletions)}; "
        f"unchanged {plan.unchanged}"
    )
