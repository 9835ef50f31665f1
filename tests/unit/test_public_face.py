"""The public face (issue 27): related-entries floor, example settings, .htaccess,
home plan and listing titles."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.core.errors import ConfigError
from build_tools.core.placeholders import find_example_values, read_site_settings
from build_tools.deploy.config import TargetConfig, check_production_settings
from build_tools.pages.htaccess import format_base_path, format_htaccess
from build_tools.pages.listings import FACETS_BY_KIND

ROOT = Path(__file__).resolve().parents[2]


def test_related_entries_stop_at_the_relevance_floor(tmp_path):
    from build_tools.core.loader import load_repository
    from build_tools.features.related import plan_related

    related = plan_related(load_repository(ROOT), tmp_path)
    drip = related["2567/stem-drip-irrigation"]
    assert "2564/lakhon-chatri-performing-arts" not in drip
    assert "2564/sunflower-stem-kindergarten" in drip  # a STEM entry stays


@pytest.mark.parametrize(
    "value",
    ["ifte@example.go.th", "https://ifte.example.go.th/", "www.example.com", "0 3600 0000"],
)
def test_example_values_are_found(value):
    assert list(find_example_values({"extra": {"office": {"x": value}}})) == [
        ("extra.office.x", value)
    ]


@pytest.mark.parametrize("value", ["lripeoemail@gmail.com", "036-776771", "myexample.go.th"])
def test_real_values_are_not_examples(value):
    assert not list(find_example_values({"v": [value]}))


def test_the_repository_office_settings_are_real():
    settings = read_site_settings(ROOT / "mkdocs.yml")
    assert settings["extra"]["office"]["phone"] == "036-776771"
    assert not list(find_example_values(settings["extra"]))


def _target(host: str, production: bool = True) -> TargetConfig:
    return TargetConfig("production", "sftp", host, 22, "public_html", production=production)


def test_deploy_to_production_refuses_example_settings():
    with pytest.raises(ConfigError, match="example"):
        check_production_settings(_target("www.example.go.th"), {})
    with pytest.raises(ConfigError, match="site_url"):
        check_production_settings(_target("host.go.th"), {"site_url": "https://x.example.com/"})
    check_production_settings(_target("host.go.th"), {"site_url": "https://ifte.go.th/"})
    check_production_settings(_target("www.example.go.th", production=False), {})


def test_htaccess_serves_the_404_page_under_the_site_path():
    assert format_base_path("https://x.go.th/ifte/") == "/ifte/"
    assert format_base_path("") == "/"
    text = format_htaccess("https://x.go.th/ifte/")
    assert "ErrorDocument 404 /ifte/404.html" in text
    assert "mod_deflate" in text and "immutable" in text


def test_listing_titles_read_as_thai():
    assert FACETS_BY_KIND["districts"].format_page_title("ชัยบาดาล", "Chai Badan") == (
        "อำเภอชัยบาดาล",
        "Chai Badan district",
    )
    assert FACETS_BY_KIND["years"].format_page_title("พ.ศ. 2567", "2024")[0] == "ผลงานปี พ.ศ. 2567"


def _png(path: Path, colour: tuple[int, int, int]) -> None:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (64, 40), colour).save(path, "PNG")


def test_cover_is_the_named_image_else_the_first_image_attachment(scratch_project):
    from build_tools.core.loader import load_repository
    from build_tools.pages.presentation import present_entry
    from tests.conftest import VALID_ENTRY

    folder = scratch_project.root / "innovations/2567"
    for slug in ("named", "first", "none"):
        _png(folder / slug / "chart.png", (200, 0, 0))
        _png(folder / slug / "photo.png", (0, 0, 200))
    listed = "year: 2567\nattachments:\n  - {file: chart.png, title: แผนภูมิ}\n"
    scratch_project.entry(
        "named",
        VALID_ENTRY.replace("year: 2567", listed + "cover: photo.png").replace(
            "เนื้อหา", "![ภาพกิจกรรม](photo.png)"
        ),
    )
    scratch_project.entry("first", VALID_ENTRY.replace("year: 2567", listed))
    scratch_project.entry("none", VALID_ENTRY)
    catalog = load_repository(scratch_project.root)
    assert not [p for p in catalog.problems if p.is_error]
    covers = {e.slug: e.cover_image for e in catalog.entries}
    assert covers == {"named": "photo.png", "first": "chart.png", "none": ""}
    views = {e.slug: present_entry(e, catalog.vocabularies) for e in catalog.entries}
    assert views["none"]["thumb"] is None
    thumb = views["first"]["thumb"]
    assert thumb["webp"][0] == ("innovations/2567/first/cover@320.webp", 320)
    assert (thumb["width"], thumb["height"]) == (320, 200)
