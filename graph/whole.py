"""The answers of the whole-graph commands, computed once by a build and read back a page at a time.

``graph rank``, ``graph communities`` and ``graph as-of DAY`` build the whole networkx knowledge
graph before their first row (at a million triples, 5-14 s from the on-disk store), but a build
folder never changes. So the build computes them once, from the graph it holds in memory, and
writes to :data:`COMMANDS_DIR`:

- ``rank.jsonl``: every actor's row of :func:`.questions.rank`, best first (``--top N`` reads
  the first N lines);
- ``communities.jsonl``: the rows of :func:`.questions.communities`;
- ``as-of.jsonl``: every claim's row of :func:`.questions.claims_as_of`, in the answer's own
  order (IRI), each line led by the day from which the claim is known (:func:`.questions.known_from`).
  The answer for a day is the lines whose day is on or before it: a first page reads lines
  until it has its rows, checking each line's day before parsing it.

Each file starts with a header line naming the command and :data:`FORMAT`; a file of another
version is not read, and the command computes its answer from the graph as before.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_as_of([("urn:b", "2021-03-01", {"iri": "urn:b"}), ("urn:a", "", {"iri": "urn:a"})], folder / COMMANDS_DIR)
>>> [row["iri"] for row in stored_as_of(folder, date(2021, 1, 1))]
['urn:a']
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice
from pathlib import Path

COMMANDS_DIR = "commands"
"""The folder of a build folder that holds the answers of the whole-graph commands."""

FORMAT = 1
"""The version of what this module writes; bump it when a command's rows change."""

NEVER = "~"
"""The day key of a claim never known (an article of it has no known publication): after every
ISO day, as text."""


def _header(command: str) -> bytes:
    return json.dumps({"command": command, "format": FORMAT}, separators=(",", ":")).encode("utf-8") + b"\n"


def _line(row: dict) -> bytes:
    return json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n"


def write_rows(command: str, rows: Iterable[dict], folder: Path) -> None:
    """Write the ``rows`` of ``command`` (``rank``, ``communities``) to ``folder/<command>.jsonl``."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{command}.jsonl").open("wb") as output:
        output.write(_header(command))
        output.writelines(map(_line, rows))


def write_as_of(claims: Iterable[tuple[str, str | None, dict]], folder: Path) -> None:
    """Write ``(claim, known from, row)`` of every claim to ``folder/as-of.jsonl``, in claim order.

    ``known from`` is the day from which the claim is known (ISO text), ``""`` when always,
    ``None`` when never (:func:`.questions.known_from`)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "as-of.jsonl").open("wb") as output:
        output.write(_header("as-of"))
        for _, day, row in sorted(claims, key=lambda claim: claim[0]):
            output.write((NEVER if day is None else day).encode("utf-8") + b"\t" + _line(row))


def _lines(build: Path, command: str):
    """The open file of ``command``'s answer past its header, or ``None`` when the build wrote
    none of this version."""
    path = build / COMMANDS_DIR / f"{command}.jsonl"
    if not path.is_file():
        return None
    lines = path.open("rb")
    if lines.readline() != _header(command):
        lines.close()
        return None
    return lines


def stored_rows(build: Path, command: str, limit: int | None = None) -> Iterator[dict] | None:
    """The rows of ``command`` (``rank``, ``communities``) the build in ``build`` wrote, at most
    ``limit`` of them, read one at a time; ``None`` when it wrote none (an older build)."""
    lines = _lines(build, command)
    if lines is None:
        return None

    def read() -> Iterator[dict]:
        with lines:
            yield from map(json.loads, islice(lines, limit))

    return read()


def stored_as_of(build: Path, day: date) -> Iterator[dict] | None:
    """The rows of :func:`.questions.claims_as_of` for ``day`` from the answer the build in
    ``build`` wrote, one at a time; ``None`` when it wrote none."""
    lines = _lines(build, "as-of")
    if lines is None:
        return None
    last = day.isoformat().encode("utf-8")

    def read() -> Iterator[dict]:
        with lines:
            for line in lines:
                known, _, row = line.partition(b"\t")
                if known <= last:  # ISO days compare as text; "" is always, "~" never
                    yield json.loads(row)

    return read()


def write_command_answers(source, folder: Path) -> None:
    """Compute the answers of ``graph rank``, ``communities`` and ``as-of`` on ``source`` (the
    whole graph, drafts shown, as the commands read it) and write them to ``folder``."""
    from . import questions
    from .views import gc_paused, knowledge_graph

    with gc_paused():
        kg = knowledge_graph(source)
        write_rows("rank", questions.rank(kg, top=None), folder)
        write_rows("communities", questions.communities(kg), folder)
        write_as_of(questions.known_from(source, kg), folder)
