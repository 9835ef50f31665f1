"""The contributor guide is generated from the definitions, so it lists everything."""

from __future__ import annotations

from build_tools.contribute.guide import (
    GUIDE_URI,
    format_guide,
    generate_guide_page,
    plan_example_draft,
)
from build_tools.contribute.newentry import format_entry
from build_tools.core import fields as f
from build_tools.core.loader import load_repository
from build_tools.core.problems import CODES
from build_tools.core.site import GeneratedPage, SiteSettings
from build_tools.core.vocabularies import KINDS, load_vocabularies
from tests.conftest import REPO_ROOT


def field_keys(specs, prefix=""):
    for spec in specs:
        key = f"{prefix}{spec.name}"
        yield key
        if spec.children:
            yield from field_keys(
                spec.children, f"{key}[]." if spec.kind == f.OBJECTS else f"{key}."
            )


def guide() -> str:
    return format_guide(
        load_vocabularies(REPO_ROOT / "vocabularies.yml"),
        "https://ifte.example.go.th/",
        "https://github.com/o/r",
    )


def test_every_problem_code_has_a_section_with_its_fix():
    text = guide()
    for info in CODES.values():
        assert f"### {info.code} {{#{info.code}}}" in text, info.code
        section = text.split(f"### {info.code} ", 1)[1].split("\n### ", 1)[0]
        assert "**วิธีแก้:**" in section
    assert "{value}" not in text  # message placeholders are never shown raw


def test_every_field_and_vocabulary_value_is_listed():
    text = guide()
    for key in field_keys(f.ENTRY_FIELDS):
        assert f"- **`{key}`** — " in text, key
    vocabularies = load_vocabularies(REPO_ROOT / "vocabularies.yml")
    for kind in KINDS:
        assert f"{{#vocabulary-{kind}}}" in text
        for term in vocabularies[kind].terms:
            assert term.th in text, term.th


def test_guide_links_to_the_form_and_the_issue_form():
    text = guide()
    assert "(../submit/index.md)" in text
    assert "https://github.com/o/r/issues/new?template=submit-innovation.yml" in text


def test_the_example_in_the_guide_passes_the_checker(scratch_project):
    draft = plan_example_draft()
    text = format_entry(draft)
    assert text.rstrip("\n") in guide()
    folder = scratch_project.entry(draft.slug, text, year=draft.year).parent
    (folder / "worksheet.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    catalog = load_repository(scratch_project.root)
    assert catalog.problems == ()


def test_guide_page_is_in_the_navigation(scratch_project):
    catalog = load_repository(scratch_project.root)
    settings = SiteSettings(
        "IFTE",
        "https://ifte.example.go.th/",
        scratch_project.root,
        {"repo_url": "https://github.com/o/r"},
    )
    (page,) = generate_guide_page(catalog, settings)
    assert isinstance(page, GeneratedPage) and page.src_uri == GUIDE_URI and page.in_nav
    assert page.body.startswith("# คู่มือการส่งผลงาน\n")
    assert "guide/index.md" in (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
