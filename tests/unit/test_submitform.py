"""The form's problem texts: the checker's rules, fixes worded for a form."""

from __future__ import annotations

from build_tools.contribute.submitform import FORM_FIXES, plan_form_data
from build_tools.core.problems import CODES
from build_tools.core.vocabularies import load_vocabularies
from tests.conftest import REPO_ROOT


def form_codes() -> dict:
    vocabularies = load_vocabularies(REPO_ROOT / "vocabularies.yml")
    return plan_form_data(vocabularies, (), "https://github.com/o/r", "main")["codes"]


def test_form_fixes_speak_of_fields_not_lines():
    codes = form_codes()
    assert set(FORM_FIXES) <= set(CODES)
    assert codes["empty-value"]["fix_th"].startswith("กรอกช่องนี้")
    assert codes["missing-field"]["fix_th"].startswith("กรอกช่องนี้")
    # every problem the form's script can show (ifte-submit.js) reads as a form would
    script = (REPO_ROOT / "theme/assets/javascripts/ifte-submit.js").read_text(encoding="utf-8")
    shown = [code for code in CODES if f'"{code}"' in script]
    assert "empty-value" in shown and "unknown-choice" in shown
    for code in shown:
        fix = codes[code]["fix_th"]
        assert "บรรทัด" not in fix and "vocabularies.yml" not in fix, (code, fix)
        assert "---" not in fix and "คู่มือ" not in fix, (code, fix)


def test_the_checker_keeps_its_own_fixes():
    codes = form_codes()
    assert CODES["empty-value"].fix_th == "ใส่ค่า หรือลบบรรทัดนั้นหากไม่บังคับ"
    assert codes["national-id"]["fix_th"] == CODES["national-id"].fix_th
    assert all(codes[code]["th"] == info.th for code, info in CODES.items())
