"""Throwaway built-site trees shaped like the real one, for deploy tests and the bench."""

from __future__ import annotations

import hashlib
import os
import random
from pathlib import Path

from build_tools.deploy.manifest import RESERVED_NAMES
from build_tools.deploy.stamp import STAMP_NAME, write_build_stamp


def make_site(root: Path, pages: int = 12, image_bytes: int = 3000, seed: int = 7) -> Path:
    """A site like MkDocs Material's output: hashed assets, one folder per page, indexes."""
    rng = random.Random(seed)
    css = b"body{font-family:sans-serif}" * 20
    js = b"console.log('ifte');" * 40
    css_name = f"assets/stylesheets/main.{hashlib.sha256(css).hexdigest()[:8]}.min.css"
    js_name = f"assets/javascripts/bundle.{hashlib.sha256(js).hexdigest()[:8]}.min.js"
    _write(root / css_name, css)
    _write(root / js_name, js)
    _write(root / "assets/images/logo.png", rng.randbytes(1200))
    urls = []
    for number in range(pages):
        year = 2566 + number % 3
        folder = f"innovations/{year}/entry-{number:05d}"
        image = f"{folder}/cover.jpg"
        _write(root / image, rng.randbytes(image_bytes))
        depth = "../../../"
        html = (
            f'<!doctype html><html lang="th"><head><link rel="stylesheet" href="{depth}{css_name}">'
            f'<script src="{depth}{js_name}"></script></head><body>'
            f'<img src="{depth}assets/images/logo.png"><h1>ผลงานที่ {number}</h1>'
            f'<img src="cover.jpg"><p>{"เนื้อหา " * 40}</p></body></html>'
        )
        _write(root / folder / "index.html", html.encode())
        urls.append(folder + "/")
    home = f'<html><head><link rel="stylesheet" href="{css_name}"></head><body>หน้าแรก</body>'
    _write(root / "index.html", home.encode())
    _write(root / "404.html", b"<html><body>404</body></html>")
    sitemap = "".join(f"<url><loc>https://example.go.th/ifte/{u}</loc></url>" for u in urls)
    _write(root / "sitemap.xml", f"<urlset>{sitemap}</urlset>".encode())
    _write(root / "search/search_index.json", b'{"docs":[]}')
    write_build_stamp(root)  # as the build does last: the deploy checks it
    return root


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def read_tree(root: Path, skip_control: bool = True) -> dict[str, bytes]:
    """Every file under `root` by relative path (the deploy's own bookkeeping left out)."""
    tree = {}
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder, name)
            relative = path.relative_to(root).as_posix()
            if skip_control and relative.split("/")[0] in RESERVED_NAMES | {STAMP_NAME}:
                continue
            tree[relative] = path.read_bytes()
    return tree


def list_dirs(root: Path) -> set[str]:
    return {
        Path(folder, d).relative_to(root).as_posix()
        for folder, dirs, _names in os.walk(root)
        for d in dirs
    }
