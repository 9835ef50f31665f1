"""Tables published as files: columns with a type and a description, rows, CSV bytes.

One definition per table feeds the CSV file, its Frictionless schema in
`datapackage.json` and the data dictionary on `/data/`, so they cannot disagree.
CSV is UTF-8 with a byte-order mark: without it Excel on Thai Windows reads the file
as Windows-874 and shows the Thai text as garbage. Every CSV the site writes goes
through `format_csv_line`, whose text cells cannot start a spreadsheet formula
(`format_inert_text`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

CSV_BOM = "\ufeff"
# What makes a spreadsheet read a cell as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless field type: string, integer, boolean, date, array
    title: str  # Thai
    description: str = ""  # Thai, then English
    example: str = ""
    required: bool = False


@dataclass(frozen=True)
class DataTable:
    name: str  # resource name in datapackage.json: lowercase, digits, "-", "_", "."
    path: str  # site-relative path of the CSV file
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]


def format_inert_text(text: str) -> str:
    """Text a spreadsheet shows as text: a cell starting with `= + - @`, a tab or a carriage
    return gets a leading `'` (OWASP's advice), so a title `=HYPERLINK(…)` typed by a
    teacher does not run when the office opens the file in Excel.

    Only text is changed, never numbers: counts and differences are written as numbers by
    our code (`format_cell` leaves int values alone, so -3 stays -3), while text comes
    from teachers and cannot be told apart from a formula. A title that really starts
    with "-" therefore reads "'- …" in the CSV; the JSON files keep every value as typed.
    """
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def format_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return format_inert_text("; ".join(str(v) for v in value))
    return format_inert_text(str(value))


def format_csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """CSV bytes (UTF-8 with BOM, CRLF line ends as RFC 4180 says)."""
    return format_csv_from_lines(header, [format_csv_line(row).encode() for row in rows])


def format_csv_line(row: Sequence[object]) -> str:
    """One row as `format_csv` writes it, line end included: for rows kept between builds."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([format_cell(v) for v in row])
    return out.getvalue()


def format_csv_from_lines(header: Sequence[str], lines: Sequence[bytes]) -> bytes:
    """`format_csv` of rows already formatted by `format_csv_line` and encoded (kept as
    bytes, they are joined without decoding 20,000 Thai lines)."""
    return (CSV_BOM + format_csv_line(header)).encode("utf-8") + b"".join(lines)


def format_table_csv(table: DataTable) -> bytes:
    return format_csv([c.name for c in table.columns], table.rows)


def format_table_schema(table: DataTable) -> dict:
    """The Frictionless Table Schema of a CSV table (lists are "; "-joined strings in CSV)."""
    fields = []
    for column in table.columns:
        # The name as the CSV header writes it: a data package must match the two.
        name = format_inert_text(column.name)
        field: dict = {"name": name, "type": column.type, "title": column.title}
        if column.type == "array":
            field["type"] = "string"  # a CSV cell holds text; JSON holds the real list
        if column.description:
            field["description"] = column.description
        if column.example:
            field["example"] = column.example
        if column.required:
            field["constraints"] = {"required": True}
        fields.append(field)
    return {"fields": fields}
