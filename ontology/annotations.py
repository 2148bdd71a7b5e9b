"""Read and check the hand-curated annotations of a seed folder (format: ``seeds/README.md``).

Every problem is reported as ``FILE:LINE: message``. Each file is read within the limits of
``annotation-schema.yaml`` and checked against its fields (:mod:`.fields`) before anything is
read from it. A bad article annotation (or a malformed article text) is set aside with its
problems while the other articles load; a bad ``catalog.yaml`` stops the load, since every
article leans on it.

>>> from incidentkg.seeds import SEEDS_DIR
>>> corpus = load_corpus(SEEDS_DIR)
>>> len(corpus.articles), corpus.problems
(5, [])
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from rdflib import URIRef

from .dates import DateError, When, claim_date_from_article, parse_when
from .fields import Problem, describe, line_of, load_schema
from .schema import Ontology, PropertyInfo, load_ontology
from .vocab import IKG
from ..exceptions import AnnotationError

CATALOG_NAME = "catalog.yaml"
# libyaml's loader is about 14 times faster on large corpora and keeps line numbers.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# --------------------------------------------------------------------------- draft additions
# What `incidentkg ingest` adds to the format (seeds/README.md, "Drafts"): a top-level
# `draft: {extractor, version}`; on things, claims and the article `status`, `confidence`,
# `span`; on things `same_as`; `article.source` and `article.url`. Also the `names:` of a thing:
# who uses which name for it (a naming authority). The schema checks their types and ranges;
# what it cannot see (a span inside the body, a link's syntax) is checked here.

STATUSES = ("draft", "accepted")
REVIEW_KEYS = frozenset({"status", "confidence", "span"})
# Links to the authorities an entity is resolved against.
SAME_AS = re.compile(r"catalog:[a-z0-9]+(?:-[a-z0-9]+)*"
                     r"|misp-galaxy:threat-actor/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
                     r"|iso3166:[A-Z]{2}")
_URL = re.compile(r"https?://[^\s<>\"{}|\\^`]+")  # what an IRI may hold


@dataclass(frozen=True)
class Extractor:
    """The program that wrote a draft annotation: its name and version."""

    name: str
    version: str


@dataclass(frozen=True)
class Review:
    """The draft fields of a thing, claim or article. A curated item has none (``status`` ``None``).

    ``generated_in`` names what the extractor read: an article's stem, or ``"catalog"``.
    """

    status: str | None = None
    confidence: Decimal | None = None
    span: tuple[int, int] | None = None
    same_as: tuple[str, ...] = ()
    extractor: Extractor | None = None
    generated_in: str | None = None


CURATED = Review()


@dataclass(frozen=True)
class NameUse:
    """``name`` is what the actor ``by`` (a vendor, a government, a catalogue) calls a thing."""

    name: str
    by: str


def read_extractor(data) -> Extractor | None:
    """The top-level ``draft:`` header of a checked annotation or catalog, or ``None``."""
    header = _value(data, "draft")
    return None if header is None else Extractor(header["extractor"], header["version"])


def read_review(entry, check: _Checker, what: str, extractor: Extractor | None, generated_in: str,
                body: str | None) -> Review:
    """The draft fields of one thing, claim or article (curated when the file has no ``draft:``).

    ``span`` must lie within ``body``; a catalog thing (``body`` ``None``) may not have one.
    """
    drafted = sorted(REVIEW_KEYS & {key for key in entry if _value(entry, key) is not None})
    if extractor is None and drafted:
        for key in drafted:
            check.fail(line_of(entry, key), f"{what}: {key} belongs to a draft, and the file has no "
                       "top-level 'draft: {extractor, version}'")
        return CURATED
    status = _value(entry, "status") or ("draft" if extractor else None)
    confidence = _value(entry, "confidence")
    span = _value(entry, "span")
    if span is not None:
        span = _read_span(span, check, line_of(entry, "span"), what, body)
    same_as = tuple(_value(entry, "same_as") or ())
    for link in same_as:
        if not SAME_AS.fullmatch(link):
            check.fail(line_of(entry, "same_as"), f"{what}: same_as {link!r} is not catalog:<id>, "
                       "misp-galaxy:threat-actor/<uuid> or iso3166:<alpha-2>")
    if status is None:
        return Review(same_as=same_as)
    return Review(status, None if confidence is None else Decimal(str(confidence)), span, same_as,
                  extractor, generated_in)


def _read_span(span, check: _Checker, line: int, what: str, body: str | None) -> tuple[int, int] | None:
    if body is None:
        check.fail(line, f"{what}: span points into an article body, and a catalog has none")
        return None
    if not 0 <= span[0] < span[1] <= len(body):
        check.fail(line, f"{what}: span {list(span)} is not [start, end] within the article body (0 to {len(body)})")
        return None
    return span[0], span[1]


def read_names(entry) -> tuple[NameUse, ...]:
    """The ``names:`` of a checked thing: ``[{name: APT-C-39, by: qihoo-360}, ...]``."""
    return tuple(NameUse(item["name"], item["by"]) for item in _value(entry, "names") or ())


def read_source(meta, check: _Checker) -> tuple[str | None, str | None]:
    """``article.source`` (a file's base name) and ``article.url`` (http or https)."""
    source, url = _value(meta, "source"), _value(meta, "url")
    if source is not None and "/" in source:
        check.fail(line_of(meta, "source"), f"article source {source!r} must be a file's base name")
        source = None
    if url is not None and not _URL.fullmatch(url):
        check.fail(line_of(meta, "url"), f"article url {url!r} must be an http(s) URL")
        url = None
    return source, url


# --------------------------------------------------------------------------- the model

@dataclass(frozen=True)
class Thing:
    """An actor, place, malware, sector, incident or event, defined once for the corpus."""

    id: str
    cls: URIRef
    label: str
    aliases: tuple[str, ...]
    properties: tuple[tuple[PropertyInfo, str], ...]
    when: When | None
    comment: str | None
    defined_in: str
    line: int
    review: Review = CURATED
    names: tuple[NameUse, ...] = ()


@dataclass(frozen=True)
class Figure:
    """The number a ``figure`` claim states."""

    measure: str
    value: Decimal
    unit: str | None
    qualifier: str


@dataclass(frozen=True)
class Claim:
    """One reified statement: a claimant says something of an incident or event."""

    id: str
    claim_type: URIRef
    claimant: str
    about: str
    stance: URIRef
    quote: str
    start: int
    end: int
    made: When
    via: tuple[str, ...] = ()
    accused: tuple[str, ...] = ()
    during: str | None = None
    figure: Figure | None = None
    line: int = 1
    review: Review = CURATED


@dataclass(frozen=True)
class Article:
    """A seed article: its text, its metadata and its claims."""

    stem: str
    text_path: Path
    sha256: str
    body: str
    title: str | None
    publisher: str | None
    carried_by: str | None
    authors: tuple[str, ...]
    published: When
    dateline: When | None
    reliability: URIRef
    language: str
    things: tuple[Thing, ...]
    claims: tuple[Claim, ...]
    meta_lines: dict = field(default_factory=dict, compare=False)
    extractor: Extractor | None = None  # the draft: header; None for a curated annotation
    source: str | None = None  # the file that was ingested, and where it came from
    url: str | None = None
    review: Review = CURATED  # a draft's metadata (title, outlet, date) is drafted too


@dataclass
class Corpus:
    """Everything a build maps to RDF, plus the problems of the files that were set aside."""

    things: dict[str, Thing]
    articles: list[Article]
    problems: list[Problem] = field(default_factory=list)
    extractor: Extractor | None = None  # the catalog's draft: header, if it has one


# --------------------------------------------------------------------------- files and YAML, with limits

def read_input(path: Path, limit: int, setting: str) -> bytes:
    """The bytes of an input file of at most ``limit`` bytes; anything else is an
    :class:`AnnotationError` saying what is at ``path`` instead (a folder, a dangling link...).

    ``setting`` names the limit in ``annotation-schema.yaml``, for the message.
    """
    def refuse(message: str):
        raise AnnotationError([Problem(str(path), 1, message)])

    if path.is_symlink() and not path.exists():
        refuse(f"a link to {os.readlink(path)}, which does not exist")
    if path.is_dir():
        refuse("a folder, where a file should be")
    if not path.is_file():
        refuse("not a regular file")
    try:
        with path.open("rb") as file:
            data = file.read(limit + 1)  # never more: the file may be huge
    except OSError as error:
        refuse(f"cannot be read ({error.strerror})")
    return _within_limit(path, data, limit, setting)


def _within_limit(path: Path, data: bytes, limit: int, setting: str) -> bytes:
    """``data``, the bytes of the file ``path`` (up to ``limit + 1`` of them), unless there are more
    than ``limit`` or only white space: then an :class:`AnnotationError` saying so."""
    if len(data) > limit:
        raise AnnotationError([Problem(str(path), 1, f"larger than the limit of {limit:,} bytes "
                                                     f"(limits.{setting} in ontology/annotation-schema.yaml)")])
    if not data.strip():
        raise AnnotationError([Problem(str(path), 1, "an empty file")])
    return data


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise AnnotationError([Problem(str(path), line, f"not UTF-8 text (byte {raw[error.start]:#04x})")]) from None


class _Map(dict):
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int
    lines: dict


class _List(list):
    """A YAML list that remembers the line of itself and of each item."""

    line: int
    lines: list


# Plain YAML only: a tag (!!python/object, !!binary, !custom) or a merge key is refused, not read as text.
_PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}


class _Composer:
    """Turns a composed YAML node into dicts, lists and scalars that carry their line numbers,
    within the limits of the schema: a repeated key, a key that is not text or a tag is a
    problem; aliases that repeat too many nodes, or nesting too deep, stop the reading at once."""

    def __init__(self, path: Path, limits: dict[str, int]):
        self.path, self.limits, self.problems = str(path), limits, []
        self.seen: set[int] = set()
        self.open: set[int] = set()  # the mappings and lists being read: an alias to one loops
        self.repeats = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.path, node.start_mark.line + 1, message))

    def stop(self, line: int, message: str):
        raise AnnotationError([Problem(self.path, line, message)])

    def plain(self, node: yaml.Node, depth: int = 0, where: int = 1):
        """``node`` as plain data; ``where`` is the line of the key or item that holds it, where
        an alias to it is written."""
        if id(node) in self.open:
            self.stop(where, "a YAML alias refers to a mapping or list that contains it")
        repeated = id(node) in self.seen
        if repeated:
            self.repeats += 1
            if self.repeats > self.limits["alias_repeats"]:
                self.stop(where, f"YAML aliases repeat more than {self.limits['alias_repeats']:,} nodes "
                                 "(limits.alias_repeats in ontology/annotation-schema.yaml)")
        self.seen.add(id(node))
        if depth > self.limits["depth"]:
            self.stop(where, f"nested deeper than {self.limits['depth']} levels "
                             "(limits.depth in ontology/annotation-schema.yaml)")
        if node.tag not in _PLAIN_TAGS:
            shown = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.problem(node, f"YAML tag {shown} is not allowed (plain YAML only)")
            return None
        if isinstance(node, yaml.ScalarNode):
            if node.tag == "tag:yaml.org,2002:timestamp":
                return node.value  # dates stay text: ontology/dates.py reads (and rejects) them itself
            return self.constructor.construct_object(node)
        self.open.add(id(node))
        # Inside a repetition, an alias bomb is reported where its outermost alias is written.
        def line(child: yaml.Node) -> int:
            return where if repeated else child.start_mark.line + 1

        if isinstance(node, yaml.SequenceNode):
            result = _List(self.plain(item, depth + 1, line(item)) for item in node.value)
            result.lines = [line(item) for item in node.value]
        else:
            result = _Map()
            result.lines = {}
            for key_node, value_node in node.value:
                known = len(self.problems)
                key = self.plain(key_node, depth + 1, line(key_node))
                if len(self.problems) > known:
                    continue  # a tagged key: said already
                if not isinstance(key, str):
                    self.problem(key_node, f"a key must be text, not {describe(key)}")
                elif key in result:
                    self.problem(key_node, f"duplicate key {key!r} (first at line {result.lines[key]})")
                else:
                    result[key] = self.plain(value_node, depth + 1, line(key_node))
                    result.lines[key] = key_node.start_mark.line + 1
        self.open.discard(id(node))
        result.line = node.start_mark.line + 1
        return result


def read_yaml(path: Path, limits: dict[str, int] | None = None, *, text: str | None = None):
    """Parse a YAML file into line-aware data, within ``limits`` (the schema's by default);
    ``text``: the file's text, already in memory (the file is not read).

    Raises
    ------
    AnnotationError
        For a file that cannot be read, a syntax error, a tag, a repeated key, or a limit passed.
    """
    limits = limits or load_schema().limits
    if text is None:
        text = _decode(path, read_input(path, limits["yaml_bytes"], "yaml_bytes"))
    else:
        _within_limit(path, text.encode("utf-8"), limits["yaml_bytes"], "yaml_bytes")
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        raise AnnotationError([_syntax_problem(path, error)]) from None
    except yaml.YAMLError as error:  # a character YAML does not allow
        line = text[: getattr(error, "position", 0)].count("\n") + 1
        raise AnnotationError([Problem(str(path), line, f"YAML: {getattr(error, 'reason', error)}")]) from None
    if node is None:
        raise AnnotationError([Problem(str(path), 1, "an empty file (only comments)")])
    composer = _Composer(path, limits)
    data = composer.plain(node, where=node.start_mark.line + 1)
    if composer.problems:
        raise AnnotationError(composer.problems)
    return data


# What a safe YAML dump writes as a plain scalar and reads back as the same value and type.
_PLAIN_SCALARS = (str, int, float, bool, type(None))


def plain_data(value, limits: dict[str, int] | None = None):
    """``value`` as :func:`read_yaml` reads its safe YAML dump, all its lines 0; ``None`` when the
    dump might not read back the same: a value not a dict, list, text, number, bool or ``None``
    (a date, a tuple), a key that is not text, a dict or list twice in it (dumped as an alias), or
    nesting past ``limits.depth``. A draft is checked from the data it was dumped from: lines are
    only needed to name a problem, so a check that finds one reads the text for them.

    >>> data = plain_data({"things": [{"id": "acme", "confidence": 0.5}]})
    >>> data, data.line, data["things"].lines
    ({'things': [{'id': 'acme', 'confidence': 0.5}]}, 0, [0])
    >>> when = {"date": "2024"}
    >>> plain_data([when, when]), plain_data({1: "one"})
    (None, None)
    """
    limits = limits or load_schema().limits
    seen: set[int] = set()

    def plain(item, depth: int):
        if depth > limits["depth"]:
            raise ValueError  # the reader stops there, with the line it is at
        if type(item) in _PLAIN_SCALARS:
            return item
        if type(item) not in (dict, list) or id(item) in seen:
            raise ValueError
        seen.add(id(item))
        if type(item) is list:
            result = _List(plain(v, depth + 1) for v in item)
            result.lines = [0] * len(item)
        else:
            if any(type(key) is not str for key in item):
                raise ValueError
            result = _Map((key, plain(v, depth + 1)) for key, v in item.items())
            result.lines = dict.fromkeys(item, 0)
        result.line = 0
        return result

    try:
        return plain(value, 0)
    except ValueError:
        return None


def _syntax_problem(path: Path, error: yaml.MarkedYAMLError) -> Problem:
    """A YAML syntax error at the line it is about: for a quoted text or a ``[...]``/``{...}``
    left open, the line where it opens (the parser only notices later, often at the end)."""
    mark, context = error.problem_mark or error.context_mark, error.context or ""
    if error.context_mark and ("quoted scalar" in context or "flow" in context):
        opened = context.removeprefix("while scanning ").removeprefix("while parsing ")
        where = f" at line {mark.line + 1}" if mark else ""
        return Problem(str(path), error.context_mark.line + 1,
                       f"YAML syntax: {opened} that opens here is not closed ({error.problem}{where})")
    return Problem(str(path), mark.line + 1 if mark else 1, f"YAML syntax: {error.problem}")


# --------------------------------------------------------------------------- reading checked data

def _value(mapping, key):
    """``mapping[key]``, with blank text read as absent (the schema's reading of it)."""
    value = mapping.get(key)
    return None if isinstance(value, str) and not value.strip() else value


def _ids(value) -> tuple[str, ...]:
    """An id or a list of ids as a tuple."""
    return tuple(value) if isinstance(value, list) else () if value is None else (value,)


class _Checker:
    """Collects the problems of one file that the schema cannot see: dates, texts, repeats."""

    def __init__(self, path: Path, ontology: Ontology):
        self.path, self.ontology, self.problems = str(path), ontology, []

    def fail(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def when(self, mapping, key, what: str, anchor: When | None, required: bool) -> When | None:
        value = _value(mapping, key)
        if value is None and not required:
            return None
        if key not in mapping:
            self.fail(mapping.line, f"{what} has no {key} (write '{key}: unknown' if it is not known)")
            return None
        try:
            return parse_when(value, anchor=anchor)
        except DateError as error:
            self.fail(line_of(mapping, key), f"{what}: invalid date: {error}")
            return None


def _read_things(items, check: _Checker, anchor: When | None, extractor: Extractor | None = None,
                 generated_in: str = "catalog", body: str | None = None) -> list[Thing]:
    """The ``things:`` list of the catalog or of an article, checked by the schema (``body``: the
    article's, for the spans of drafted things)."""
    fields = set(load_schema().records["thing"].fields)
    things = []
    for entry in items or []:
        cls = check.ontology.thing_class(entry["type"])
        what = f"thing {entry['id']}"
        when = check.when(entry, "when", what, anchor, required=check.ontology.is_a(cls, IKG.Occurrence))
        properties = []
        for key in sorted(set(entry) - fields):
            # The schema made sure of the values: ids for an object property, one text otherwise.
            info = check.ontology.property_for_key(key)
            properties.extend((info, value) for value in _ids(_value(entry, key)))
        things.append(Thing(entry["id"], cls, entry["label"], tuple(entry.get("aliases") or ()), tuple(properties),
                            when, _value(entry, "comment"), check.path, entry.line,
                            read_review(entry, check, what, extractor, generated_in, body), read_names(entry)))
    return things


def _cut_body(text: str, body, check: _Checker) -> str | None:
    """The article inside the file: from ``start`` to the end of ``end``."""
    if body is None:
        return text
    start_marker, end_marker = _value(body, "start"), _value(body, "end")
    begin = text.find(start_marker) if start_marker else 0
    if begin < 0:
        check.fail(line_of(body, "start"), f"article.body.start {start_marker!r} is not in the article text")
        return None
    if not end_marker:
        return text[begin:]
    finish = text.find(end_marker, begin)
    if finish < 0:
        check.fail(line_of(body, "end"), f"article.body.end {end_marker!r} is not in the article text after body.start")
        return None
    return text[begin: finish + len(end_marker)]


def _locate(body: str, quote: str, occurrence: int) -> int:
    """Offset of the n-th occurrence of ``quote`` in ``body``, or -1."""
    position = -1
    for _ in range(occurrence):
        position = body.find(quote, position + 1)
        if position < 0:
            return -1
    return position


def _read_figure(spec) -> Figure:
    return Figure(spec["measure"], Decimal(str(spec["value"])), _value(spec, "unit"),
                  _value(spec, "qualifier") or "exactly")


def _read_claims(items, body: str, anchor: When, check: _Checker, extractor: Extractor | None = None,
                 generated_in: str = "") -> list[Claim]:
    claims, first_line = [], {}
    concept = check.ontology.concept
    for claim in items or []:
        claim_id = claim["id"]
        what = f"claim {claim_id}"
        if claim_id in first_line:
            check.fail(claim.line, f"{what} is defined twice in this file (first at line {first_line[claim_id]})")
        first_line.setdefault(claim_id, claim.line)
        claim_type = concept("ClaimTypes", claim["type"])
        made = check.when(claim, "made", what, anchor, required=False) or claim_date_from_article(anchor)
        figure = _read_figure(claim["figure"]) if _value(claim, "figure") is not None else None
        if claim_type == IKG.figure and figure is None:
            check.fail(claim.line, f"{what} is a figure but has no figure: {{measure, value}}")
        review = read_review(claim, check, what, extractor, generated_in, body)
        quote = claim["quote"]
        if review.span is not None:  # a draft's span says which occurrence it quotes
            start = review.span[0]
            if body[start:review.span[1]] != quote:
                check.fail(line_of(claim, "span"), f"{what}: span {list(review.span)} is not where the "
                           f"quote stands in the article body: {quote!r}")
                continue
        else:
            start = _locate(body, quote, _value(claim, "occurrence") or 1)
        if start < 0:
            check.fail(line_of(claim, "quote"), f"{what}: quote not found verbatim in the article body: {quote!r}")
            continue
        claims.append(Claim(
            claim_id, claim_type, claim["claimant"], claim["about"], concept("Stances", claim["stance"]),
            claim["quote"], start, start + len(claim["quote"]), made, via=_ids(_value(claim, "via")),
            accused=_ids(_value(claim, "accused")), during=_value(claim, "during"), figure=figure, line=claim.line,
            review=review,
        ))
    return claims


def read_article(text_path: Path, annotation_path: Path, ontology: Ontology, files: _Files | None = None) -> Article:
    """Read one article and its annotation (``files``: where from, the disk by default); raise
    :class:`AnnotationError` on any problem.

    The annotation is checked against the schema (``annotation-schema.yaml``) before it is read.
    """
    schema = load_schema()
    files = files or _DISK
    if not schema.is_id(text_path.stem):
        raise AnnotationError([Problem(str(text_path), 1, f"file name {text_path.name!r}: an article's name "
                                       "may only hold letters and digits, with single - _ . between them "
                                       "(it names the article in the graph)")])
    raw = files.read(text_path, schema.limits["article_bytes"], "article_bytes")
    text = _decode(text_path, raw)
    data = files.read_yaml(annotation_path, schema.limits)
    problems = schema.check(data, "annotation", annotation_path, ontology)
    if problems:
        raise AnnotationError(problems)
    check = _Checker(annotation_path, ontology)
    meta = data["article"]
    extractor = read_extractor(data)
    body = _cut_body(text, _value(meta, "body"), check)
    published = check.when(meta, "published", "article", None, required=True)
    dateline = check.when(meta, "dateline", "article", published, required=False)
    anchor = dateline or published or When.unknown("The article's date is not known.")
    for when, key in ((published, "published"), (dateline, "dateline")):
        if when and when.expression and when.expression not in text:
            check.fail(line_of(meta, key), f"article {key}: expression {when.expression!r} is not in the article text")
    things = _read_things(data.get("things"), check, anchor, extractor, text_path.stem, body or "")
    claims = _read_claims(data.get("claims"), body, anchor, check, extractor, text_path.stem) \
        if body is not None else []
    source, url = read_source(meta, check)
    review = read_review(meta, check, "article", extractor, text_path.stem, body or "")
    title = _value(meta, "title")
    if title and title not in text:
        check.fail(line_of(meta, "title"), f"article title {title!r} is not in the article text")
    if check.problems:
        raise AnnotationError(check.problems)
    return Article(
        stem=text_path.stem, text_path=text_path, sha256=hashlib.sha256(raw).hexdigest(), body=body,
        title=title, publisher=_value(meta, "publisher"), carried_by=_value(meta, "carried_by"),
        authors=_ids(_value(meta, "author")), published=published, dateline=dateline,
        reliability=ontology.concept("ReliabilityScale", _value(meta, "reliability") or "F"),
        language=_value(meta, "language") or "en", things=tuple(things), claims=tuple(claims),
        meta_lines=dict(meta.lines), extractor=extractor, source=source, url=url, review=review,
    )


# --------------------------------------------------------------------------- references

def _reference_problems(path: Path, things: list[Thing], claims: list[Claim], article: Article | None,
                        available: dict[str, Thing], ontology: Ontology) -> list[Problem]:
    """Ids that are missing or of the wrong kind, as problems of the file that uses them.

    What kind an id must be is the range the ontology gives the property it fills.
    """
    problems = []

    def need(ref: str | None, expected: URIRef | None, line: int, where: str) -> None:
        if ref is None:
            return
        if ref not in available:
            problems.append(Problem(str(path), line, f"{where}: unknown entity {ref!r}"))
        elif expected is not None and expected.startswith(IKG._NS) and not ontology.is_a(available[ref].cls, expected):
            problems.append(Problem(str(path), line, f"{where}: {ref!r} is a {available[ref].cls.fragment}, "
                                                     f"not a {expected.fragment}"))

    for thing in things:
        for info, value in thing.properties:
            if info.is_object:
                need(value, ontology.range_of(info.iri), thing.line, f"thing {thing.id}: {info.iri.fragment}")
        for use in thing.names:
            need(use.by, IKG.Actor, thing.line, f"thing {thing.id}: names {use.name!r} by")
    if article is not None:
        lines = article.meta_lines
        need(article.publisher, IKG.MediaOutlet, lines.get("publisher", 1), "article publisher")
        need(article.carried_by, ontology.range_of(IKG.carriedBy), lines.get("carried_by", 1), "article carried_by")
        for author in article.authors:
            need(author, IKG.Person, lines.get("author", 1), "article author")
    for claim in claims:
        what = f"claim {claim.id}"
        need(claim.claimant, ontology.range_of(IKG.claimant), claim.line, f"{what}: claimant")
        need(claim.about, ontology.range_of(IKG.about), claim.line, f"{what}: about")
        need(claim.during, ontology.range_of(IKG.madeDuring), claim.line, f"{what}: during")
        for ref in claim.via:
            need(ref, ontology.range_of(IKG.reportedVia), claim.line, f"{what}: via")
        for ref in claim.accused:
            need(ref, ontology.range_of(IKG.accused), claim.line, f"{what}: accused")
    return problems


# --------------------------------------------------------------------------- the corpus

class _Files:
    """The files of a corpus folder on disk, as :func:`load_corpus` reads them."""

    def exists(self, path: Path) -> bool:
        return os.path.lexists(path)  # a dangling link or a folder is read, and reported as what it is

    def glob(self, folder: Path, pattern: str) -> list[Path]:
        return sorted(folder.glob(pattern))

    def read(self, path: Path, limit: int, setting: str) -> bytes:
        return read_input(path, limit, setting)

    def read_yaml(self, path: Path, limits: dict[str, int]):
        return read_yaml(path, limits)


_DISK = _Files()


class _InMemory(_Files):
    """The files of a folder that is not written: ``texts`` (name -> text), and the data of YAML
    files already at hand (name -> :func:`plain_data`), taken instead of parsing their text."""

    def __init__(self, texts: Mapping[str, str], parsed: Mapping[str, Any] | None = None):
        self.texts, self.parsed = texts, parsed or {}

    def exists(self, path: Path) -> bool:
        return path.name in self.texts

    def glob(self, folder: Path, pattern: str) -> list[Path]:
        return sorted(folder / name for name in self.texts if Path(name).match(pattern))

    def read(self, path: Path, limit: int, setting: str) -> bytes:
        return _within_limit(path, self.texts[path.name].encode("utf-8"), limit, setting)

    def read_yaml(self, path: Path, limits: dict[str, int]):
        if path.name not in self.parsed:
            return read_yaml(path, limits, text=self.texts[path.name])
        _within_limit(path, self.texts[path.name].encode("utf-8"), limits["yaml_bytes"], "yaml_bytes")
        return self.parsed[path.name]


# From this many articles on, they are read in a pool of processes (load_corpus of 4,326 articles:
# 6.5-6.8 s in two, against 7.5-11.3 s in one); for a few, starting them costs more than it saves.
PARALLEL_FROM = 200


def _read_articles(pairs: list[tuple[Path, Path]], ontology: Ontology,
                   files: _Files = _DISK) -> Iterator[tuple[Article | None, list[Problem]]]:
    """Each ``(text, annotation)`` pair read, in order, as ``(article or None, problems)``.

    Articles are read on their own, so a large corpus is spread over forked processes, which
    inherit the ontology; only the articles travel back.
    """
    workers = os.cpu_count() or 1
    if (len(pairs) < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods()
            or files is not _DISK):
        yield from (_read_one(pair, ontology, files) for pair in pairs)
        return
    # A process pool from concurrent.futures: if a reader dies (the OOM killer), the build fails
    # with BrokenProcessPool, where multiprocessing.Pool would wait for its article for ever.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                             initializer=_start_reader, initargs=(ontology,)) as pool:
        yield from pool.map(_read_one, pairs, chunksize=16)


_worker_ontology: Ontology | None = None  # set in the pool's processes only


def _start_reader(ontology: Ontology) -> None:
    global _worker_ontology
    _worker_ontology = ontology
    # A reader prints nothing, and must not flush the parent's stdio at exit: another thread of
    # the parent (a progress bar) may have held its lock at the fork, and the reader would wait.
    sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")


def _read_one(pair: tuple[Path, Path], ontology: Ontology | None = None,
              files: _Files | None = None) -> tuple[Article | None, list[Problem]]:
    """:func:`read_article`, with its problems returned rather than raised."""
    try:
        return read_article(*pair, ontology or _worker_ontology, files), []
    except AnnotationError as error:
        return None, error.problems


def load_corpus(seeds_dir: Path | str, ontology: Ontology | None = None, *,
                progress: Callable[[str, int, int], None] | None = None,
                texts: Mapping[str, str] | None = None, parsed: Mapping[str, Any] | None = None) -> Corpus:
    """Load ``catalog.yaml`` and every ``*.txt`` article with its ``*.yaml`` annotation.

    Parameters
    ----------
    seeds_dir : path
        A folder laid out like ``seeds/``.
    progress : callable, optional
        Called as ``progress("reading annotations", done, total)`` after each article.
    texts : mapping, optional
        The folder's files (name -> text), read from memory, not from ``seeds_dir`` (which only
        names them): a draft is checked before it is written.
    parsed : mapping, optional
        With ``texts``: the data of YAML files among them (name -> :func:`plain_data`), taken
        instead of parsing their text (whose size is still checked); problems then say line 0.

    Returns
    -------
    Corpus
        The things and the articles that loaded cleanly, sorted by file name; ``problems`` lists
        what was wrong with the articles that were set aside.

    Raises
    ------
    AnnotationError
        When the catalog itself is broken or no article loads: nothing useful can be built.
    """
    seeds_dir = Path(seeds_dir)
    ontology = ontology or load_ontology()
    files = _DISK if texts is None else _InMemory(texts, parsed)
    catalog_path = seeds_dir / CATALOG_NAME
    things: dict[str, Thing] = {}
    catalog_extractor = None
    if files.exists(catalog_path):
        schema = load_schema()
        catalog = files.read_yaml(catalog_path, schema.limits)
        problems = schema.check(catalog, "catalog", catalog_path, ontology)
        if problems:
            raise AnnotationError(problems)
        check = _Checker(catalog_path, ontology)
        catalog_extractor = read_extractor(catalog)
        for thing in _read_things(catalog.get("things"), check, None, catalog_extractor):
            if thing.id in things:
                check.fail(thing.line, f"thing {thing.id} is defined twice (first at line {things[thing.id].line})")
            things.setdefault(thing.id, thing)
        # The catalog stands on its own: it may not lean on things that an article defines.
        check.problems += _reference_problems(catalog_path, list(things.values()), [], None, things, ontology)
        if check.problems:
            raise AnnotationError(check.problems)

    articles: dict[str, Article] = {}
    problems: list[Problem] = []
    text_paths = files.glob(seeds_dir, "*.txt")
    if progress:
        progress("reading annotations", 0, len(text_paths))
    for text_path in text_paths:
        if not files.exists(text_path.with_suffix(".yaml")):
            problems.append(Problem(str(text_path), 1, f"no annotation {text_path.stem}.yaml beside the article"))
    pairs = [(path, path.with_suffix(".yaml")) for path in text_paths if files.exists(path.with_suffix(".yaml"))]
    for done, (article, found) in enumerate(_read_articles(pairs, ontology, files), start=1):
        if article is not None:
            articles[article.stem] = article
        problems.extend(found)
        if progress:
            progress("reading annotations", done + len(text_paths) - len(pairs), len(text_paths))
    for annotation_path in files.glob(seeds_dir, "*.yaml"):
        if annotation_path.name != CATALOG_NAME and not files.exists(annotation_path.with_suffix(".txt")):
            problems.append(Problem(str(annotation_path), 1, f"no article {annotation_path.stem}.txt beside the annotation"))

    # Things defined by articles join the catalog; then references are checked until no more
    # articles drop out (an article set aside takes its own things with it).
    while True:
        available = dict(things)
        for stem, article in articles.items():
            for thing in article.things:
                if thing.id in available:
                    other = available[thing.id]
                    problems.append(Problem(thing.defined_in, thing.line,
                                            f"thing {thing.id} is already defined at {other.defined_in}:{other.line}"))
                else:
                    available[thing.id] = thing
        dropped = False
        for stem, article in list(articles.items()):
            annotation_path = seeds_dir / f"{stem}.yaml"
            found = [p for p in problems if p.path == str(annotation_path)]
            found += _reference_problems(annotation_path, list(article.things), list(article.claims),
                                         article, available, ontology)
            if found:
                problems.extend(p for p in found if p not in problems)
                del articles[stem]
                dropped = True
        if not dropped:
            break
    if not articles:
        raise AnnotationError(problems or [Problem(str(seeds_dir), 1, "no *.txt articles in the folder")])
    return Corpus(dict(sorted(available.items())), list(articles.values()), sorted(set(problems)), catalog_extractor)
