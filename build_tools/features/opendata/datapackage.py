"""A Frictionless Data Package (`data/datapackage.json`) describing every published table.

Each resource carries its schema (from the same column definitions as the files), and
each CSV its size and SHA-256 hash, so `frictionless validate data/datapackage.json`
checks the files as well as their description (it needs `ijson` for the JSON file).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from build_tools.features.opendata.tables import DataTable, format_table_schema

DATAPACKAGE = "data/datapackage.json"


@dataclass(frozen=True)
class PackageFile:
    """A file the package lists: its size, its hash and how to read it."""

    table: DataTable
    size: int  # bytes
    sha256: str  # of the content, hexadecimal
    format: str  # csv | json
    schema: Mapping | None = None  # defaults to the table's CSV schema


def package_file(
    table: DataTable, content: bytes, format: str, schema: Mapping | None = None
) -> PackageFile:
    return PackageFile(table, len(content), hashlib.sha256(content).hexdigest(), format, schema)


def _relative(path: str) -> str:
    """Resource paths are relative to data/, where datapackage.json lives."""
    return path.removeprefix("data/")


def plan_resource(item: PackageFile) -> dict:
    table = item.table
    resource: dict = {
        "name": table.name,
        "type": "table",  # without it Frictionless reads a .json file as a plain document
        "path": _relative(table.path),
        "title": table.title,
        "description": table.description,
        "format": item.format,
        "mediatype": "text/csv" if item.format == "csv" else "application/json",
    }
    if item.format == "csv":
        # Size and hash let a validator notice a truncated or altered download (Frictionless
        # cannot count the bytes of a streamed JSON file, so only CSV files carry them).
        resource["bytes"] = item.size
        resource["hash"] = "sha256:" + item.sha256
        # The byte-order mark is there for Excel; "utf-8-sig" tells readers to skip it.
        resource["encoding"] = "utf-8-sig"
        resource["dialect"] = {"delimiter": ",", "lineTerminator": "\r\n", "header": True}
    else:
        resource["encoding"] = "utf-8"
    resource["schema"] = dict(item.schema) if item.schema else format_table_schema(table)
    return resource


def plan_datapackage(
    files: Sequence[PackageFile],
    *,
    name: str,
    title: str,
    description: str,
    homepage: str,
    keywords: Sequence[str],
    publisher: str,
    email: str,
    updated: str,
) -> dict:
    return {
        "name": name,
        "title": title,
        "description": description,
        "homepage": homepage,
        "keywords": list(keywords),
        "version": updated or "0",
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0 (ข้อมูลรายการ; เนื้อหาผลงานแต่ละชิ้น"
                "ใช้สัญญาอนุญาตตามคอลัมน์ license)",
            }
        ],
        "contributors": [{"title": publisher, "email": email, "role": "publisher"}],
        **({"created": f"{updated}T00:00:00Z"} if updated else {}),
        "resources": [plan_resource(item) for item in files],
    }
