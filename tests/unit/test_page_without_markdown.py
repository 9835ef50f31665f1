"""The MkDocs adapter skips converting the empty Markdown of the pages it plans
(`plugin._PageWithoutMarkdown`): what it sets must be what MkDocs' own conversion gives,
and a page that has Markdown after all is converted as usual."""

from __future__ import annotations

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from build_tools.mkdocs_plugin.plugin import _PageWithoutMarkdown
from tests.conftest import REPO_ROOT


@pytest.fixture(scope="module")
def config():
    return load_config(str(REPO_ROOT / "mkdocs.yml"))


def rendered(kind: type[Page], markdown: str, config) -> tuple:
    file = File("innovations/2567/x/index.md", None, config.site_dir, use_directory_urls=True)
    page = kind(None, file, config)
    page.markdown = markdown
    page.render(config, Files([file]))
    return (
        page.content,
        [(item.title, item.id, len(item.children)) for item in page.toc],
        page._title_from_render,
        page.present_anchor_ids,
        {file.src_uri: links for file, links in page.links_to_anchors.items()},
    )


@pytest.mark.parametrize(
    "markdown",
    [
        "",
        "\n\n",
        "# ชื่อเรื่อง\n\n## หัวข้อ {#h}\n\nข้อความ [ไป](#h)\n\n| ก | ข |\n|---|---|\n| 1 | 2 |\n",
    ],
)
def test_a_page_without_markdown_renders_what_mkdocs_renders(config, markdown):
    assert rendered(_PageWithoutMarkdown, markdown, config) == rendered(Page, markdown, config)
