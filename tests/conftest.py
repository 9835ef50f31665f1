"""Shared fixtures: tiny throwaway projects and one build of the sample site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

VALID_ENTRY = """\
---
title: ชุดกิจกรรมพัฒนาการอ่านจับใจความ
type: นวัตกรรม
category: การจัดการเรียนรู้
year: 2567
authors:
  - name: นางสาวกมลวรรณ ใจดี
    position: ครู
school:
  name: โรงเรียนบ้านโคกสำโรง
  district: โคกสำโรง
  affiliation: สพป.ลพบุรี เขต 1
subjects: [ภาษาไทย]
levels: [ป.4]
keywords: [การอ่าน]
summary: ชุดกิจกรรมช่วยให้นักเรียนอ่านจับใจความได้ดีขึ้น
---
## ความเป็นมา

เนื้อหา
"""


class ScratchProject:
    """A minimal project folder: vocabularies.yml plus whatever entries a test writes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        shutil.copy(REPO_ROOT / "vocabularies.yml", root / "vocabularies.yml")

    def write(self, relative: str, content: str | bytes = VALID_ENTRY) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def entry(self, slug: str = "reading-kit", content: str | bytes = VALID_ENTRY,
              year: int = 2567) -> Path:
        return self.write(f"innovations/{year}/{slug}/index.md", content)


@pytest.fixture
def scratch_project(tmp_path: Path) -> ScratchProject:
    return ScratchProject(tmp_path)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The bundled sample repository built once with `mkdocs build --strict`."""
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=REPO_ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out
