"""What the theme's templates call besides MkDocs' own: filters and globals."""

from __future__ import annotations

from jinja2 import Environment
from markupsafe import Markup

from build_tools.core.thai import format_word_breaks


def add_template_helpers(env: Environment) -> None:
    once: dict[str, str] = {}

    def render_once(key: str | None, caller) -> str:
        # theme/main.html: `{% call ifte_once(key) %}…{% endcall %}` renders once per key.
        if key is None:
            return caller()
        if key not in once:
            once[key] = caller()
        return once[key]

    env.globals["ifte_once"] = render_once
    # Titles and labels break only between Thai words (theme: `| thai_breaks`).
    env.filters["thai_breaks"] = lambda text: Markup(format_word_breaks(str(text or "")))
    env.globals["ifte_nav_key"] = lambda page: (
        None
        if page is None or page.file.inclusion.is_in_nav()
        # Links are relative, so only pages in the same folder share the same HTML.
        else "nav:" + page.url.rstrip("/").rpartition("/")[0]
    )
