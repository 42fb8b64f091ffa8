"""JSON Schemas of taskreg's JSON outputs, shipped with the package.

``document`` — a per-document record (``taskreg extract`` jsonl/json);
``task`` — a register task (``taskreg export --format jsonl``, ``taskreg push``).
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

NAMES = ("document", "task")


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict[str, Any]:
    """The schema as a dict (``name`` is "document" or "task")."""
    if name not in NAMES:
        raise ValueError(f"unknown schema {name!r} (use one of {', '.join(NAMES)})")
    text = resources.files(__package__).joinpath(f"{name}.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def validator(name: str):
    """A jsonschema validator for the schema, checking formats too."""
    import jsonschema

    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def validate(instance: Any, name: str) -> None:
    """Raise ``jsonschema.ValidationError`` when ``instance`` does not fit the schema."""
    validator(name).validate(instance)
