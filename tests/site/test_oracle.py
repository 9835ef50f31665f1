"""The oracle: after any sequence of changes, an incremental build (`ifte build`, with
everything it kept in `.cache/`) gives byte for byte the site a build from nothing gives.

The changes are those a repository lives through: entries edited, added, removed and
renamed, a vocabulary label, a setting, the theme, the build's own source, and an
upgraded package. The project carries its own copy of `build_tools/`, so its source can
change like any other input; a package upgrade is simulated by a package's metadata
folder whose version changes. The clean side is a fresh copy of the inputs, built with
no `.cache/` at all.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from build_tools.deploy.stamp import STAMP_NAME
from tests.conftest import REPO_ROOT, VALID_ENTRY, ScratchProject, copy_site_config

FAKE_PACKAGE = "ifte_oracle_probe"
BODY = "\n\n## ผลการดำเนินงาน\n\nนักเรียนอ่านจับใจความได้ดีขึ้น [แผน](plan.pdf)\n"


def _run(root: Path, *args: str) -> None:
    env = {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{root / 'packages'}"}
    result = subprocess.run(
        [sys.executable, "-m", "build_tools", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def _entry_text(number: int, title: str = "") -> str:
    text = VALID_ENTRY.replace("ชุดกิจกรรมพัฒนาการอ่านจับใจความ", title or f"ชุดกิจกรรมที่ {number}")
    text = text.replace(
        "summary:",
        "attachments:\n  - {file: plan.pdf, title: แผน}\n  - {file: chart.png, title: แผนภูมิ}"
        "\nsummary:",
    )
    return text + BODY


class Repository:
    """A scratch repository with its own build code, changed one step at a time."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True)
        self.project = ScratchProject(root)
        copy_site_config(root)
        shutil.copytree(
            REPO_ROOT / "build_tools",
            root / "build_tools",
            ignore=shutil.ignore_patterns("__pycache__"),
        )
        self.version = 1
        self._package_version(self.version)
        self.count = 0
        for _ in range(4):
            self.add()

    def slugs(self) -> list[str]:
        return sorted(p.name for p in (self.root / "innovations/2567").iterdir())

    def _path(self, index: int) -> Path:
        slugs = self.slugs()
        return self.root / "innovations/2567" / slugs[index % len(slugs)] / "index.md"

    def _package_version(self, version: int) -> None:
        packages = self.root / "packages"
        if packages.exists():
            shutil.rmtree(packages)
        (packages / f"{FAKE_PACKAGE}-{version}.0.dist-info").mkdir(parents=True)

    def _toggle(self, relative: str, one: str, other: str) -> None:
        """Write `other` in place of `one`, or back again: a change can come twice."""
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        old, new = (one, other) if one in text else (other, one)
        assert old in text, (relative, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    # --- the changes ---------------------------------------------------------------
    def add(self, index: int = 0) -> None:
        self.count += 1
        folder = self.project.entry(f"entry-{self.count}", _entry_text(self.count)).parent
        (folder / "plan.pdf").write_bytes(b"%PDF-1.4\n% " + str(self.count).encode() + b"\n")
        self._picture(folder, "teal")

    @staticmethod
    def _picture(folder: Path, colour: str) -> None:
        # An image attachment: its web copy and the card thumbnails are made from it.
        Image.new("RGB", (480, 300), colour).save(folder / "chart.png")

    def picture(self, index: int) -> None:
        folder = self._path(index).parent
        path = folder / "chart.png"
        colour = "orange" if Image.open(path).getpixel((0, 0)) == (0, 128, 128) else "teal"
        self._picture(folder, colour)

    def edit_body(self, index: int) -> None:
        path = self._path(index)
        path.write_text(path.read_text(encoding="utf-8") + "\nย่อหน้าที่เพิ่ม\n", encoding="utf-8")

    def edit_title(self, index: int) -> None:
        path = self._path(index)
        text = path.read_text(encoding="utf-8")
        start = text.index("title: ") + len("title: ")
        end = text.index("\n", start)
        path.write_text(f"{text[:start]}{text[start:end]} ฉบับปรับปรุง{text[end:]}", "utf-8")

    def remove(self, index: int) -> None:
        if len(self.slugs()) > 1:
            shutil.rmtree(self._path(index).parent)

    def rename(self, index: int) -> None:
        folder = self._path(index).parent
        self.count += 1
        folder.rename(folder.with_name(f"renamed-{self.count}"))

    def vocabulary(self, index: int) -> None:
        self._toggle(
            "vocabularies.yml",
            "{code: khok-samrong, th: โคกสำโรง, en: Khok Samrong}",
            "{code: khok-samrong, th: อำเภอโคกสำโรง, en: Khok Samrong District, aliases: [โคกสำโรง]}",
        )

    def setting(self, index: int) -> None:
        self._toggle("mkdocs.yml", "site_name: คลังนวัตกรรม IFTE ลพบุรี", "site_name: คลังนวัตกรรม ลพบุรี")

    def theme(self, index: int) -> None:
        path = self.root / "theme/partials/ifte-footer.html"
        path.write_text(path.read_text(encoding="utf-8") + "\n<!-- แก้ธีม -->\n", "utf-8")

    def code(self, index: int) -> None:
        # A listing's Thai label, and a search setting the browser's manifest carries
        # (the hand-kept module lists once missed both).
        self._toggle("build_tools/pages/listings.py", '"ผลงานทั้งหมด"', '"ผลงานทั้งหมดในคลัง"')
        self._toggle("build_tools/search/query.py", "MIN_PREFIX_CHARS = 2", "MIN_PREFIX_CHARS = 3")

    def upgrade(self, index: int) -> None:
        self.version += 1
        self._package_version(self.version)

    def build(self) -> None:
        _run(self.root, "build")

    def clean_copy(self, target: Path) -> Path:
        """The inputs alone, in a new folder: no `.cache/`, no `site/`."""
        shutil.copytree(self.root, target, ignore=shutil.ignore_patterns(".cache", "site", "site.building", ".site.previous"))
        return target


CHANGES = [
    "edit_body",
    "picture",
    "edit_title",
    "add",
    "remove",
    "rename",
    "vocabulary",
    "setting",
    "theme",
    "code",
    "upgrade",
]


def snapshot(site: Path) -> dict[str, bytes]:
    files = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    # The stamp's build key names the manifest of this project folder (entry fingerprints
    # include the folder), so a copy elsewhere differs there alone; the rest is compared.
    stamp = json.loads(files.pop(STAMP_NAME))
    assert stamp.pop("build")
    files[STAMP_NAME] = json.dumps(stamp).encode()
    return files


def check_sequence(base: Path, steps: list[tuple[str, int]]) -> None:
    repository = Repository(base / "repo")
    repository.build()
    for change, index in steps:
        getattr(repository, change)(index)
        repository.build()
    clean = repository.clean_copy(base / "clean")
    _run(clean, "build", "--full")
    incremental, fresh = snapshot(repository.root / "site"), snapshot(clean / "site")
    different = sorted(
        k for k in incremental.keys() | fresh.keys() if incremental.get(k) != fresh.get(k)
    )
    assert different == [], (steps, different[:10])


def test_every_kind_of_change_in_one_sequence_gives_the_site_of_a_clean_build(tmp_path):
    check_sequence(tmp_path, [(change, number) for number, change in enumerate(CHANGES)])


@settings(
    max_examples=6,
    deadline=None,
    database=None,
    derandomize=True,  # the same sequences on every run: CI stays repeatable
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.tuples(st.sampled_from(CHANGES), st.integers(0, 9)), min_size=1, max_size=4))
def test_random_sequences_of_changes_give_the_site_of_a_clean_build(tmp_path_factory, steps):
    check_sequence(tmp_path_factory.mktemp("oracle"), steps)


def test_a_changed_package_version_keeps_results_apart(tmp_path):
    repository = Repository(tmp_path / "repo")
    repository.build()
    stores = {p.name for p in (repository.root / ".cache/ifte").glob("store-*")}
    repository.upgrade(0)
    repository.build()
    after = {p.name for p in (repository.root / ".cache/ifte").glob("store-*")}
    assert len(stores) == len(after) == 1 and stores != after  # the old store is removed
