"""Heading anchors that keep Thai readable.

Python-Markdown's default slugify drops every Thai letter and pymdownx's drops
Thai vowel and tone marks (they are combining characters), so "ความเป็นมา"
would become "ความเปนมา". This keeps letters, marks and digits of any script.
"""

from __future__ import annotations

import re
import unicodedata

_DROP = re.compile(r"[^\w\u0e00-\u0e7f\- ]", re.UNICODE)


def slugify(value: str, separator: str = "-") -> str:
    value = unicodedata.normalize("NFC", value).strip().lower()
    value = _DROP.sub("", value)
    return re.sub(r"[\s\-]+", separator, value).strip(separator)
