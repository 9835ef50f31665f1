"""Settings that still hold an example value (a host under example.*, the sample phone
number): the build warns about them and `ifte deploy` to a production target refuses
them, so placeholder contacts never reach the public site by accident."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import yaml

from build_tools.core.errors import ConfigError

# Hosts reserved for examples (RFC 2606: example.com/.net/.org; our own sample example.go.th)
# and the phone number the sample configuration shipped with.
EXAMPLE_VALUE = re.compile(
    r"(?:^|[@/.\s])example\.(?:go\.th|com|net|org|ac\.th|or\.th)\b|\b0 3600 0000\b",
    re.IGNORECASE,
)


def find_example_values(settings: object, where: str = "") -> Iterator[tuple[str, str]]:
    """(setting path, value) of every text in `settings` that holds an example value."""
    if isinstance(settings, Mapping):
        for key, value in settings.items():
            yield from find_example_values(value, f"{where}.{key}" if where else str(key))
    elif isinstance(settings, list | tuple):
        for index, value in enumerate(settings):
            yield from find_example_values(value, f"{where}[{index}]")
    elif isinstance(settings, str) and EXAMPLE_VALUE.search(settings):
        yield where, settings


def format_example_values(found: list[tuple[str, str]], source: str) -> str:
    """One bilingual message naming each example value."""
    lines = "\n".join(f"    {where}: {value}" for where, value in found)
    return (
        f"{source}: ยังใช้ค่าตัวอย่าง {len(found)} รายการ — แก้เป็นข้อมูลจริงของหน่วยงาน / "
        f"{len(found)} settings still hold example values; replace them with real ones:\n{lines}"
    )


class _IgnoreTags(yaml.SafeLoader):
    """mkdocs.yml names Python objects (`!!python/name:`); their text is all we check."""


_IgnoreTags.add_multi_constructor("", lambda loader, suffix, node: None)


def read_site_settings(path: Path) -> dict:
    """The parts of mkdocs.yml shown to visitors (`site_url`, `extra`), or {} without it."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_IgnoreTags) or {}
    except FileNotFoundError:
        return {}
    except yaml.YAMLError as error:
        raise ConfigError(f"อ่าน {path} ไม่ได้: {error}", f"Cannot parse {path}: {error}") from None
    if not isinstance(data, dict):
        return {}
    return {key: data[key] for key in ("site_url", "extra") if key in data}
