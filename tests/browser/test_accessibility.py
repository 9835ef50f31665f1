"""WCAG 2.1 AA on every kind of page, in headless Chromium.

axe-core (npm, loaded from node_modules) must find no serious or critical violation
on one page of each kind (tests/page_kinds.py); the checks axe cannot make — skip
link, keyboard focus, heading order, text-size control, reflow on a 320 px phone —
are made here directly.
"""

from __future__ import annotations

import pytest

from tests.conftest import REPO_ROOT
from tests.page_kinds import FIXED_PAGE_KINDS, page_kinds

pytestmark = pytest.mark.browser

AXE = REPO_ROOT / "node_modules/axe-core/axe.min.js"
KINDS = ["entry", *FIXED_PAGE_KINDS]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def kind_urls(built_site) -> dict[str, str]:
    return page_kinds(built_site)


def run_axe(page) -> list[dict]:
    assert AXE.is_file(), "axe-core is not installed: run `make node_modules/.installed`"
    page.add_script_tag(path=str(AXE))
    # An element still fading in (Material's back-to-top button after a scroll) would be
    # measured half transparent: let every transition and finite animation end first.
    page.evaluate(
        """() => Promise.all(document.getAnimations()
             .filter(a => Number.isFinite(a.effect?.getComputedTiming().endTime))
             .map(a => a.finished.catch(() => null)))"""
    )
    result = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: "tag", values: tags},
                                       resultTypes: ["violations"]})""",
        [*WCAG_TAGS, "best-practice"],
    )
    return result["violations"]


STRUCTURE = """() => {
  const headings = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
    .filter(h => h.getClientRects().length > 0)
    .map(h => ({level: Number(h.tagName[1]), text: h.textContent.trim().slice(0, 40)}));
  return {
    lang: document.documentElement.lang,
    headings,
    imagesWithoutAlt: [...document.images].filter(i => !i.hasAttribute("alt")).map(i => i.src),
    overflow: document.documentElement.scrollWidth - window.innerWidth,
  };
}"""


def check_structure(facts: dict) -> list[str]:
    """What axe does not check: Thai language, heading order, alt text, reflow."""
    problems = []
    if facts["lang"] != "th":
        problems.append(f"<html lang> is {facts['lang']!r}, not 'th'")
    headings = facts["headings"]
    if not headings or headings[0]["level"] != 1:
        problems.append(f"the first heading is not an h1: {headings[:1]}")
    problems += [
        f"heading level skips from h{a['level']} to h{b['level']}: {b['text']}"
        for a, b in zip(headings, headings[1:], strict=False)
        if b["level"] > a["level"] + 1
    ]
    problems += [f"image without alt: {src}" for src in facts["imagesWithoutAlt"]]
    # WCAG 1.4.10 reflow: no sideways scrolling at 320 CSS pixels (wide tables scroll
    # inside their own box, which the criterion allows).
    if facts["overflow"] > 1:
        problems.append(f"{facts['overflow']} px of horizontal scrolling at 320 px wide")
    return problems


@pytest.mark.parametrize("kind", KINDS)
def test_page_meets_wcag_21_aa(page, site_url, kind_urls, kind):
    """On a 320 px phone: no serious or critical axe violation, and the structure checks."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site_url + kind_urls[kind])
    problems = check_structure(page.evaluate(STRUCTURE))
    violations = [v for v in run_axe(page) if v["impact"] in ("serious", "critical")]
    problems += [
        f"[{v['impact']}] {v['id']}: {v['help']}\n"
        + "\n".join(f"    {n['target']} {n['failureSummary'][:200]}" for n in v["nodes"][:5])
        for v in violations
    ]
    assert not problems, "\n".join(problems)


def test_pages_fetch_nothing_missing_and_nothing_from_other_sites(page, site_url, kind_urls):
    """Console errors (a 404 is one) and requests leaving the site, on every kind of page."""
    failed: list[str] = []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    problems = {}
    for kind in KINDS:
        page.goto(site_url + kind_urls[kind])
        page.wait_for_load_state("networkidle")
        found = failed + page.watch.console_errors + page.watch.external_requests
        if found:
            problems[kind] = list(found)
        for seen in (failed, page.watch.console_errors, page.watch.external_requests):
            seen.clear()
    assert not problems, problems


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_content(page, site_url, kind_urls):
    page.goto(site_url + kind_urls["entry"])
    page.keyboard.press("Tab")
    page.wait_for_function("getComputedStyle(document.activeElement).opacity === '1'")
    focused = page.evaluate("""() => {
        const a = document.activeElement, r = a.getBoundingClientRect();
        return {text: a.textContent, href: a.getAttribute("href"),
                visible: r.width > 0 && r.top >= 0 && r.bottom <= innerHeight}; }""")
    assert "ข้ามไปยังเนื้อหา" in focused["text"]
    assert focused["href"] == "#ifte-content"
    assert focused["visible"]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "ifte-content"
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('#ifte-content')")


def test_every_focusable_element_shows_where_the_focus_is(page, site_url, kind_urls):
    page.goto(site_url + kind_urls["entry"])
    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        seen.append(
            page.evaluate("""() => { const a = document.activeElement,
            s = getComputedStyle(a);
            return {tag: a.tagName, text: (a.textContent || a.value || "").trim().slice(0, 30),
                    ring: (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2)
                          || s.boxShadow !== "none"}; }""")
        )
    invisible = [f for f in seen if f["tag"] != "BODY" and not f["ring"]]
    assert not invisible, invisible
    assert len({(f["tag"], f["text"]) for f in seen}) > 20  # the walk went through the page


def test_text_size_control_enlarges_text_and_is_remembered(page, site_url, kind_urls):
    page.goto(site_url)
    size = "() => parseFloat(getComputedStyle(document.documentElement).fontSize)"
    normal = page.evaluate(size)
    bar = page.locator("[data-ifte-font-size-control]")
    assert bar.is_visible()
    bar.get_by_role("button", name="ก+").click()
    bar.get_by_role("button", name="ก+").click()
    larger = page.evaluate(size)
    assert larger >= normal * 1.25
    page.goto(site_url + kind_urls["entry"])  # another page keeps the reader's choice
    assert page.evaluate(size) == larger
    page.locator("[data-ifte-font-size-control]").get_by_role(
        "button", name="ขนาดตัวอักษรปกติ"
    ).click()
    assert page.evaluate(size) == normal
    assert page.evaluate("localStorage.getItem('ifte-font-size')") is None
