"""Make untrusted entry HTML safe to publish.

Teacher content is untrusted: after Markdown is rendered, the HTML goes through
nh3 (the Ammonia sanitiser) with an allow-list. No script, event handler,
`javascript:` URL, style or iframe survives. YouTube links may become a
privacy-friendly embed rendered by our own template, never by entry HTML.
"""

from __future__ import annotations

import html as htmlmod
import re
from urllib.parse import parse_qs, urlparse

import nh3

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
    "wbr",  # break opportunities between Thai words in table headers (rendering.py)
}
# `class` and `id` carry Material's code highlighting and heading anchors.
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
# A table column's alignment, as Python-Markdown's tables extension writes it (`|--:|`)
# or as `align` in HTML: only these exact values pass, and `_aligned_cell` turns them into
# a class (theme: ifte.css), so no style attribute reaches a page.
ALIGNMENTS = ("left", "right", "center")
_ALIGNMENT_VALUES = {
    "style": {f"text-align: {alignment};" for alignment in ALIGNMENTS},
    "align": set(ALIGNMENTS),
}
CELL_ATTRIBUTE_VALUES = {"td": _ALIGNMENT_VALUES, "th": _ALIGNMENT_VALUES}
URL_SCHEMES = {"http", "https", "mailto"}


LINK_REL = "noopener noreferrer nofollow"
# nh3 writes every attribute as name="value" with `"` and `&` escaped (not `<` or `>`).
_IMG = re.compile(r'<img((?:\s+[\w:-]+(?:="[^"]*")?)*)\s*/?>')
# Quoted values only, as nh3 writes every real attribute: text inside an attribute's
# value, where nh3 escapes every quote, never matches and is never rewritten.
_CELL = re.compile(r'<(td|th)((?:\s+[\w:-]+="[^"]*")+)>')
_ATTRIBUTE = re.compile(r'([\w:-]+)(?:="([^"]*)")?')
# What a browser reads as another host: a scheme, "//", or "\\" in place of a "/".
_SPACE_AND_CONTROLS = "".join(map(chr, range(0x21)))
_REMOTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|[/\\]{2})")


def sanitize_html(html: str) -> str:
    """Allow-list sanitising of rendered entry HTML; relative links stay relative, and
    images from other sites become links to them (`unlink_remote_images`)."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        tag_attribute_values=CELL_ATTRIBUTE_VALUES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
    if "<t" in cleaned:
        cleaned = _CELL.sub(_aligned_cell, cleaned)
    return _IMG.sub(_local_image_or_link, cleaned)


def _aligned_cell(match: re.Match) -> str:
    """A table cell with its alignment (an allowed `style` or `align`) as a class."""
    attributes = dict(_ATTRIBUTE.findall(match.group(2)))
    if "style" not in attributes and "align" not in attributes:
        return match.group(0)
    style, align = attributes.pop("style", ""), attributes.pop("align", "")
    alignment = align or style.removeprefix("text-align: ").rstrip(";")
    if alignment in ALIGNMENTS:
        classes = attributes.get("class", "").split()
        attributes["class"] = " ".join([*classes, f"ifte-align-{alignment}"])
    # nh3 wrote every value escaped; they go back as they were.
    text = "".join(f' {name}="{value}"' for name, value in attributes.items())
    return f"<{match.group(1)}{text}>"


def is_remote_url(url: str) -> bool:
    """Whether a browser would fetch `url` (an attribute's text) from another host."""
    # Browsers drop tabs and line breaks anywhere in a URL, and spaces and controls
    # before it.
    text = re.sub(r"[\t\n\r]", "", htmlmod.unescape(url)).lstrip(_SPACE_AND_CONTROLS)
    return bool(_REMOTE.match(text))


def _local_image_or_link(match: re.Match) -> str:
    """The page promises no requests to other sites: an image from elsewhere (a tracking
    pixel, or a picture a visitor's browser would fetch from a stranger's server) is
    shown as a link to it, which a visitor may follow."""
    attributes = dict(_ATTRIBUTE.findall(match.group(1)))
    src = attributes.get("src", "")
    if not is_remote_url(src):
        return match.group(0)
    alt = htmlmod.unescape(attributes.get("alt", "")).strip()
    label = "ดูรูปภาพจากเว็บไซต์อื่น" + (f": {alt}" if alt else " (image on another site)")
    text = htmlmod.escape(label, quote=False)
    return f'<a href="{src}" rel="{LINK_REL}" class="ifte-external-image">{text}</a>'


_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")


def youtube_video_id(url: str) -> str | None:
    """The video id of a YouTube watch/short/embed URL, or None."""
    parsed = urlparse(url)
    host = (parsed.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    candidate = None
    if host == "youtu.be":
        candidate = parsed.path.strip("/").split("/")[0]
    elif host in ("youtube.com", "youtube-nocookie.com"):
        if parsed.path == "/watch":
            candidate = parse_qs(parsed.query).get("v", [""])[0]
        elif parsed.path.startswith(("/embed/", "/shorts/", "/live/")):
            candidate = parsed.path.split("/")[2]
    return candidate if candidate and _YOUTUBE_ID.match(candidate) else None
