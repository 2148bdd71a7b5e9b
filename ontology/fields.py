"""The fields of the annotation files, as ``annotation-schema.yaml`` declares them, and the
check of a file's data against them.

Every value of a file is checked for its type, presence, range and id syntax before anything is
read from it, so the reader that maps a file to the model can trust what it gets. Each mistake
is one :class:`Problem` naming the file and line.

>>> from incidentkg.ontology.schema import load_ontology
>>> data = {"id": "c 1", "type": "figure", "claimant": "cverc", "about": "x", "stance": "asserted",
...         "quote": "q", "occurrence": -2, "figure": {"measure": "people", "value": float("nan")}}
>>> for problem in load_schema().check(data, "claim", "a.yaml", load_ontology()):
...     print(problem)
a.yaml:1: a claim: id 'c 1' is not a valid id (letters and digits, with single - _ . between them)
a.yaml:1: a claim: occurrence must be at least 1, not -2
a.yaml:1: a claim.figure: value must be a finite number, not nan
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

from .schema import Ontology

SCHEMA_FILE = files(__package__) / "annotation-schema.yaml"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, at a line."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Field:
    """One key of a record: its type, whether it must be there, its bounds."""

    name: str
    type: str
    required: bool = False
    record: str | None = None
    scheme: str | None = None
    values: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    hint: str | None = None


@dataclass(frozen=True)
class Record:
    """A kind of mapping of the files: a claim, a thing, an article..."""

    name: str
    label: str
    fields: dict[str, Field]
    named_by: str | None = None
    other_keys: str | None = None


@dataclass(frozen=True)
class Schema:
    """The records of ``annotation-schema.yaml``, its id syntax and its limits."""

    records: dict[str, Record]
    id_syntax: re.Pattern
    limits: dict[str, int] = field(default_factory=dict)

    def check(self, data: Any, record: str, path: str, ontology: Ontology) -> list[Problem]:
        """Every way ``data`` (read from the file ``path``) is not a ``record``, one problem each.

        Mappings that :func:`.annotations.read_yaml` made know the line of each key; others are
        said to be at line 1.
        """
        check = _Check(self, str(path), ontology)
        check.record(data, self.records[record], None, getattr(data, "line", 1))
        return check.problems

    def is_id(self, value: Any) -> bool:
        """True when ``value`` is text in the id syntax."""
        return isinstance(value, str) and self.id_syntax.fullmatch(value) is not None


@cache
def load_schema() -> Schema:
    """The shipped ``annotation-schema.yaml``, read once."""
    spec = yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))
    records = {}
    for name, record in spec["records"].items():
        fields = {key: Field(key, **{k: tuple(v) if k == "values" else v for k, v in options.items()})
                  for key, options in record["fields"].items()}
        records[name] = Record(name, record["label"], fields, record.get("named_by"), record.get("other_keys"))
    return Schema(records, re.compile(spec["ids"]), spec["limits"])


def describe(value: Any) -> str:
    """How a wrong value is named in a message: ``a list``, ``the number 360``..."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


class _Check:
    """Walks data along the records of a schema, collecting the problems of one file."""

    def __init__(self, schema: Schema, path: str, ontology: Ontology):
        self.schema, self.path, self.ontology, self.problems = schema, path, ontology, []

    def fail(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def record(self, data: Any, record: Record, what: str | None, line: int) -> None:
        if not isinstance(data, dict):
            self.fail(line, f"{what or 'the file'} must be a mapping, not {describe(data)}")
            return
        if record.named_by:
            name = data.get(record.named_by)
            what = f"{record.label} {name}" if self.schema.is_id(name) else f"a {record.label}"
        for key, spec in record.fields.items():
            self.value(data, key, spec, what)
        for key in data:
            if key in record.fields:
                continue
            if record.other_keys == "ontology-property":
                self.property(data, key, what)
            elif what is None:
                self.fail(line_of(data, key), f"unknown top-level key {key!r} ({', '.join(record.fields)})")
            else:
                self.fail(line_of(data, key), f"{what}: unknown key {key!r} ({', '.join(record.fields)})")

    def property(self, data: dict, key: str, what: str) -> None:
        """Another key of a thing: an ontology property whose domain admits the thing's type."""
        line = line_of(data, key)
        info = self.ontology.property_for_key(key)
        cls = self.ontology.thing_class(data["type"]) if isinstance(data.get("type"), str) else None
        if info is None:
            self.fail(line, f"{what}: {key!r} is not a property of the ontology")
        elif cls is not None and info.domain is not None and not self.ontology.is_a(cls, info.domain):
            self.fail(line, f"{what}: {key!r} does not apply to a {data['type']}")
        else:
            self.value(data, key, Field(key, "ids" if info.is_object else "text"), what)

    def value(self, data: dict, key: str, spec: Field, what: str | None) -> None:
        value, line, where = data.get(key), line_of(data, key), f"{what}: {key}" if what else key
        if value is None or (isinstance(value, str) and not value.strip()):
            if spec.required:
                self.fail(line, f"{what or 'the file'} has no {key}" + (f" ({spec.hint})" if spec.hint else ""))
            return
        kind = spec.type
        if kind == "record":
            self.record(value, self.schema.records[spec.record], f"{what}.{key}" if what else key, line)
        elif kind == "records":
            if not isinstance(value, list):
                self.fail(line, f"{where} must be a list, not {describe(value)}")
                return
            record = self.schema.records[spec.record]
            for item, item_line in zip(value, _item_lines(value, line)):
                self.record(item, record, f"a {record.label}", item_line)
        elif kind == "date" and isinstance(value, dict):
            self.record(value, self.schema.records["date-spec"], f"{what}.{key}" if what else key, line)
        elif kind == "ids" and isinstance(value, list):
            for item, item_line in zip(value, _item_lines(value, line)):
                self.scalar(item, Field(key, "id"), where, item_line)
        elif kind == "texts":
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                self.fail(line, f"{where} must be a list of text")
        elif kind == "span":
            if not (isinstance(value, list) and len(value) == 2 and all(type(n) is int and n >= 0 for n in value)):
                self.fail(line, f"{where} must be [start, end], two whole numbers, not {describe(value)}")
        else:
            self.scalar(value, spec, where, line)

    def scalar(self, value: Any, spec: Field, where: str, line: int) -> None:
        message = _scalar_problem(value, spec, self.schema, self.ontology)
        if message:
            self.fail(line, f"{where} {message}")


def _scalar_problem(value: Any, spec: Field, schema: Schema, ontology: Ontology) -> str | None:
    """What is wrong with a single ``value`` of a field, or ``None``."""
    kind = spec.type
    if kind in ("text", "id", "ids", "choice", "concept", "class") and not isinstance(value, str):
        hint = " (quote it to make it text)" if isinstance(value, (bool, int, float)) else ""
        return f"must be {'one id' if kind in ('id', 'ids') else 'text'}, not {describe(value)}{hint}"
    if kind in ("id", "ids") and not schema.is_id(value):
        return f"{value!r} is not a valid id (letters and digits, with single - _ . between them)"
    if kind == "choice" and value not in spec.values:
        return f"{value!r} is not one of {', '.join(spec.values)}"
    if kind == "concept" and ontology.concept(spec.scheme, value) is None:
        return f"{value!r} is not one of {', '.join(ontology.notations(spec.scheme))}"
    if kind == "class" and ontology.thing_class(value) is None:
        return f"{value!r} is not one of {', '.join(ontology.thing_classes())}"
    if kind in ("day", "date") and (isinstance(value, bool) or not isinstance(value, (str, int))):
        return f"must be a date (2023-07-26, 2023-07 or 2023), not {describe(value)}"
    if kind in ("integer", "number"):
        whole = kind == "integer"
        if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)):
            return f"must be a {'whole' if whole else 'finite'} number, not {describe(value)}"
        if not math.isfinite(value):
            return f"must be a finite number, not {value}"
        if spec.min is not None and value < spec.min:
            return f"must be at least {spec.min}, not {value}"
        if spec.max is not None and value > spec.max:
            return f"must be at most {spec.max}, not {value}"
    return None


def _item_lines(items: list, line: int) -> list[int]:
    """The line of each item of a list read by :func:`.annotations.read_yaml` (else ``line``)."""
    return getattr(items, "lines", None) or [line] * len(items)


def line_of(data: dict, key: str) -> int:
    """The line of ``key`` in a mapping read by :func:`.annotations.read_yaml` (else of the
    mapping, else 1)."""
    return getattr(data, "lines", {}).get(key, getattr(data, "line", 1))
