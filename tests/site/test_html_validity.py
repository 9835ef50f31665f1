"""Our templates produce valid HTML: the Nu HTML Checker (vnu-jar from npm) finds no errors
on one page of each kind of the sample site."""

from __future__ import annotations

import json
import subprocess

from tests.conftest import REPO_ROOT
from tests.page_kinds import page_file, page_kinds

VNU_JAR = REPO_ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"

# Errors in Material's own markup, not in our templates: (message start, text in the extract).
MATERIAL_ERRORS = (
    # base.html: the drawer/search toggles are checkboxes with autocomplete="off".
    ("Attribute “autocomplete” is only allowed when the input type is", 'class="md-toggle"'),
    # partials/toc.html: on pages outside the nav (entries) the label's checkbox is absent.
    ("The value of the “for” attribute of the “label” element must be the ID", 'for="__toc"'),
)


def _is_material(message: dict) -> bool:
    text, extract = message.get("message", ""), message.get("extract", "")
    return any(text.startswith(start) and marker in extract for start, marker in MATERIAL_ERRORS)


def test_one_page_of_each_kind_has_no_html_errors(built_site):
    assert VNU_JAR.is_file(), "vnu-jar is not installed: run `make node_modules/.installed`"
    files = {kind: page_file(built_site, url) for kind, url in page_kinds(built_site).items()}
    missing = [f"{kind}: {path}" for kind, path in files.items() if not path.is_file()]
    assert not missing, missing
    # One JVM for every file: starting Java dominates vnu's run time.
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU_JAR),
            "--format",
            "json",
            "--skip-non-html",
            *map(str, files.values()),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr)["messages"]
    errors = [
        f"{m['url'].split(str(built_site))[-1]}:{m.get('lastLine')}: {m['message']}\n"
        f"    {m.get('extract', '').strip()[:160]}"
        for m in messages
        if m["type"] in ("error", "non-document-error") and not _is_material(m)
    ]
    assert not errors, "\n".join(errors)
