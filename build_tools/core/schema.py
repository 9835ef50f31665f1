"""JSON Schema of the entry front matter, generated from `fields` and the vocabularies.

Editors that read it (VS Code YAML) autocomplete keys and vocabulary values and
flag mistakes while a teacher types; the `/submit/` form validates with it too.
"""

from __future__ import annotations

import json

from build_tools.core import fields as f
from build_tools.core.vocabularies import Vocabularies

SCHEMA_ID = "https://ifte.example.go.th/schema/entry.schema.json"


def _accepted_labels(vocabularies: Vocabularies, kind: str) -> list[str]:
    """Thai labels first (what teachers write), then codes and aliases also accepted."""
    labels: list[str] = []
    for term in vocabularies[kind].terms:
        for label in (term.th, term.code, *term.aliases):
            if label not in labels:
                labels.append(label)
    return labels


def _property(spec: f.FieldSpec, vocabularies: Vocabularies) -> dict:
    title = f"{spec.label_th} ({spec.label_en})"
    schema: dict = {"title": title}
    if spec.help_th:
        schema["description"] = spec.help_th
    kind = spec.kind
    if kind in (f.TEXT, f.FILE):
        schema.update(type="string", minLength=1)
    elif kind == f.EMAIL:
        schema.update(type="string", format="email", pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    elif kind == f.URL:
        schema.update(type="string", pattern="^[Hh][Tt][Tt][Pp][Ss]?://")
    elif kind == f.YEAR:
        schema.update(type="integer", minimum=f.YEAR_MIN, maximum=f.YEAR_MAX)
    elif kind == f.DATE:
        schema.update(type="string", pattern=r"^\d{4}-\d{2}-\d{2}$")
    elif kind == f.BOOL:
        schema.update(type="boolean")
    elif kind == f.CHOICE:
        schema.update(type="string", enum=_accepted_labels(vocabularies, spec.vocabulary))
    elif kind == f.CHOICES:
        item = {"type": "string", "enum": _accepted_labels(vocabularies, spec.vocabulary)}
        schema.update(type="array", items=item, uniqueItems=True)
    elif kind == f.TEXTS:
        schema.update(type="array", items={"type": "string", "minLength": 1})
    elif kind == f.OBJECT:
        schema.update(_object(spec.children, vocabularies))
    elif kind == f.OBJECTS:
        schema.update(type="array", items=_object(spec.children, vocabularies))
        if spec.required:
            schema["minItems"] = 1
    if spec.max_length and kind in (f.TEXT, f.FILE, f.URL):
        schema["maxLength"] = spec.max_length
    if spec.max_length and kind == f.TEXTS:
        schema["items"]["maxLength"] = spec.max_length
    if spec.max_items and schema.get("type") == "array":
        schema["maxItems"] = spec.max_items
    if spec.example is not None:
        schema["examples"] = [spec.example]
    return schema


def _object(specs: tuple[f.FieldSpec, ...], vocabularies: Vocabularies) -> dict:
    return {
        "type": "object",
        "properties": {spec.name: _property(spec, vocabularies) for spec in specs},
        "required": [spec.name for spec in specs if spec.required],
        "additionalProperties": False,
    }


def generate_schema(vocabularies: Vocabularies) -> dict:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "ผลงานนวัตกรรม IFTE ลพบุรี (IFTE innovation entry front matter)",
        **_object(f.ENTRY_FIELDS, vocabularies),
    }
    return schema


def format_schema(vocabularies: Vocabularies) -> str:
    return json.dumps(generate_schema(vocabularies), ensure_ascii=False, indent=2) + "\n"
