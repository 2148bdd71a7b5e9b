"""Read and check the hand-curated annotations of a seed folder (format: ``seeds/README.md``).

Every problem is reported as ``FILE:LINE: message``. A bad article annotation (or a malformed
article text) is set aside with its problems while the other articles load; a bad
``catalog.yaml`` stops the load, since every article leans on it.

>>> from incidentkg.seeds import SEEDS_DIR
>>> corpus = load_corpus(SEEDS_DIR)
>>> len(corpus.articles), corpus.problems
(5, [])
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from rdflib import URIRef

from .dates import DateError, When, parse_when
from .schema import Ontology, PropertyInfo, load_ontology
from .vocab import IKG
from ..exceptions import AnnotationError

CATALOG_NAME = "catalog.yaml"
DRAFT_STATUSES = ("draft", "accepted")
"""``status`` of a drafted thing or claim (see ``seeds/README.md``, *Drafts*); curated items have none."""
_REVIEW_KEYS = {"status", "confidence", "span", "same_as"}
# libyaml's loader is about 14 times faster on large corpora and keeps line numbers.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# --------------------------------------------------------------------------- problems

@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, at a line."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


# --------------------------------------------------------------------------- the model

@dataclass(frozen=True)
class Review:
    """How far a drafted thing or claim is to be trusted: absent (``None``) on curated items.

    ``span`` is the code-point offsets in the article body it was drafted from; ``same_as`` the
    canonical entities it was resolved to (``catalog:<id>``, ``misp-galaxy:threat-actor/<uuid>``,
    ``iso3166:<alpha-2>``).
    """

    status: str
    confidence: float | None = None
    span: tuple[int, int] | None = None
    same_as: tuple[str, ...] = ()


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
    review: Review | None = None


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
    review: Review | None = None


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
    draft: dict | None = None  # {extractor, version} of a drafted annotation; None when curated
    source: str | None = None  # the file that was ingested
    url: str | None = None


@dataclass
class Corpus:
    """Everything a build maps to RDF, plus the problems of the files that were set aside."""

    things: dict[str, Thing]
    articles: list[Article]
    problems: list[Problem] = field(default_factory=list)


# --------------------------------------------------------------------------- YAML with lines

class _Map(dict):
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int
    lines: dict


class _List(list):
    line: int


def _plain(node: yaml.Node, constructor: yaml.constructor.SafeConstructor):
    """Turn a composed YAML node into dicts/lists/scalars that carry their line numbers."""
    if isinstance(node, yaml.MappingNode):
        result = _Map()
        result.line, result.lines = node.start_mark.line + 1, {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node)
            result[key] = _plain(value_node, constructor)
            result.lines[key] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        result = _List(_plain(item, constructor) for item in node.value)
        result.line = node.start_mark.line + 1
        return result
    if node.tag == "tag:yaml.org,2002:timestamp":
        return node.value  # dates stay text: ontology/dates.py reads (and rejects) them itself
    return constructor.construct_object(node)


def read_yaml(path: Path):
    """Parse a YAML file into line-aware data; a syntax error is a :class:`Problem`."""
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=_LOADER)
    except UnicodeDecodeError as error:
        raise AnnotationError([_decode_problem(path, error)]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise AnnotationError([Problem(str(path), line, f"YAML syntax: {error.problem}")]) from None
    if node is None:
        node = yaml.MappingNode("tag:yaml.org,2002:map", [])
    return _plain(node, yaml.constructor.SafeConstructor())


def _decode_problem(path: Path, error: UnicodeDecodeError) -> Problem:
    line = error.object[: error.start].count(b"\n") + 1
    return Problem(str(path), line, f"not UTF-8 text (byte {error.object[error.start]:#04x})")


# --------------------------------------------------------------------------- checking

class _Checker:
    """Collects the problems of one file while reading its parts."""

    def __init__(self, path: Path, ontology: Ontology):
        self.path, self.ontology, self.problems = str(path), ontology, []

    def fail(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def line_of(self, mapping, key) -> int:
        return getattr(mapping, "lines", {}).get(key, getattr(mapping, "line", 1))

    def mapping(self, value, what: str, line: int) -> _Map | None:
        if isinstance(value, dict):
            return value
        self.fail(line, f"{what} must be a mapping")
        return None

    def text(self, mapping, key, what: str, required: bool = True) -> str | None:
        value = mapping.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(self.line_of(mapping, key), f"{what} has no {key}")
            return None
        if not isinstance(value, (str, int, float)):
            self.fail(self.line_of(mapping, key), f"{what}: {key} must be text")
            return None
        return str(value)

    def ids(self, mapping, key) -> tuple[str, ...]:
        value = mapping.get(key)
        values = value if isinstance(value, list) else [] if value is None else [value]
        return tuple(str(v) for v in values)

    def when(self, mapping, key, what: str, anchor: When | None, required: bool) -> When | None:
        if mapping.get(key) is None and not required:
            return None
        if key not in mapping:
            if required:
                self.fail(mapping.line, f"{what} has no {key} (write '{key}: unknown' if it is not known)")
            return None
        try:
            return parse_when(mapping[key], anchor=anchor)
        except DateError as error:
            self.fail(self.line_of(mapping, key), f"{what}: invalid date: {error}")
            return None

    def concept(self, mapping, key, scheme: str, what: str, default: str | None = None) -> URIRef | None:
        notation = mapping.get(key, default)
        if notation is None:
            self.fail(self.line_of(mapping, key), f"{what} has no {key}")
            return None
        concept = self.ontology.concept(scheme, notation)
        if concept is None:
            allowed = ", ".join(self.ontology.notations(scheme))
            self.fail(self.line_of(mapping, key), f"{what}: {key} {notation!r} is not one of {allowed}")
        return concept

    def review(self, mapping, what: str) -> Review | None:
        """The ``status``/``confidence``/``span``/``same_as`` of a drafted item, checked."""
        if not _REVIEW_KEYS & set(mapping):
            return None
        status = mapping.get("status", "draft")
        if status not in DRAFT_STATUSES:
            self.fail(self.line_of(mapping, "status"), f"{what}: status {status!r} is not one of {', '.join(DRAFT_STATUSES)}")
        confidence = mapping.get("confidence")
        if confidence is not None and (not isinstance(confidence, (int, float)) or not 0 <= confidence <= 1):
            self.fail(self.line_of(mapping, "confidence"), f"{what}: confidence {confidence!r} is not a number from 0 to 1")
            confidence = None
        span = mapping.get("span")
        if span is not None and not (isinstance(span, list) and len(span) == 2 and all(isinstance(n, int) for n in span)
                                     and 0 <= span[0] <= span[1]):
            self.fail(self.line_of(mapping, "span"), f"{what}: span {span!r} is not [start, end]")
            span = None
        return Review(str(status), None if confidence is None else float(confidence),
                      tuple(span) if span else None, self.ids(mapping, "same_as"))


def _read_things(items, check: _Checker, anchor: When | None) -> list[Thing]:
    """The ``things:`` list of the catalog or of an article."""
    if items is None:
        return []
    if not isinstance(items, list):
        check.fail(1, "things must be a list")
        return []
    things = []
    for item in items:
        entry = check.mapping(item, "a thing", getattr(items, "line", 1))
        if entry is None:
            continue
        thing_id = check.text(entry, "id", "a thing")
        what = f"thing {thing_id}"
        label = check.text(entry, "label", what)
        type_name = check.text(entry, "type", what)
        cls = check.ontology.thing_class(type_name) if type_name else None
        if type_name and cls is None:
            check.fail(check.line_of(entry, "type"), f"{what}: type {type_name!r} is not one of "
                       f"{', '.join(check.ontology.thing_classes())}")
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            check.fail(check.line_of(entry, "aliases"), f"{what}: aliases must be a list of text")
            aliases = []
        is_occurrence = cls is not None and check.ontology.is_a(cls, IKG.Occurrence)
        when = check.when(entry, "when", what, anchor, required=is_occurrence)
        properties = []
        for key in sorted(set(entry) - {"id", "type", "label", "aliases", "when", "comment"} - _REVIEW_KEYS):
            info = check.ontology.property_for_key(str(key))
            if info is None:
                check.fail(check.line_of(entry, key), f"{what}: {key!r} is not a property of the ontology")
                continue
            if cls is not None and info.domain is not None and not check.ontology.is_a(cls, info.domain):
                check.fail(check.line_of(entry, key), f"{what}: {key!r} does not apply to a {type_name}")
                continue
            values = check.ids(entry, key) if info.is_object else (str(entry[key]),)
            properties.extend((info, value) for value in values)
        if thing_id and label and cls is not None:
            things.append(Thing(thing_id, cls, label, tuple(aliases), tuple(properties), when,
                                entry.get("comment"), check.path, entry.line, check.review(entry, what)))
    return things


def _cut_body(text: str, spec, check: _Checker, line: int) -> str | None:
    """The article inside the file: from ``start`` to the end of ``end``."""
    if spec is None:
        return text
    body = check.mapping(spec, "article.body", line)
    if body is None:
        return None
    start_marker, end_marker = body.get("start"), body.get("end")
    begin = text.find(start_marker) if start_marker else 0
    if begin < 0:
        check.fail(check.line_of(body, "start"), f"article.body.start {start_marker!r} is not in the article text")
        return None
    if not end_marker:
        return text[begin:]
    finish = text.find(end_marker, begin)
    if finish < 0:
        check.fail(check.line_of(body, "end"), f"article.body.end {end_marker!r} is not in the article text after body.start")
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


def _read_figure(claim, check: _Checker, what: str) -> Figure | None:
    spec = check.mapping(claim.get("figure"), f"{what}: figure", check.line_of(claim, "figure"))
    if spec is None:
        return None
    measure = check.text(spec, "measure", f"{what}: figure")
    try:
        value = Decimal(str(spec.get("value")))
    except InvalidOperation:
        check.fail(check.line_of(spec, "value"), f"{what}: figure value {spec.get('value')!r} is not a number")
        return None
    qualifier = str(spec.get("qualifier", "exactly"))
    unit = spec.get("unit")
    return Figure(measure, value, str(unit) if unit is not None else None, qualifier) if measure else None


def _read_claims(items, body: str, anchor: When, check: _Checker) -> list[Claim]:
    if items is None:
        return []
    if not isinstance(items, list):
        check.fail(1, "claims must be a list")
        return []
    claims, seen = [], set()
    for item in items:
        claim = check.mapping(item, "a claim", getattr(items, "line", 1))
        if claim is None:
            continue
        claim_id = check.text(claim, "id", "a claim")
        what = f"claim {claim_id}"
        if claim_id in seen:
            check.fail(claim.line, f"{what} is defined twice in this file")
        seen.add(claim_id)
        claimant = check.text(claim, "claimant", what)
        if isinstance(claim.get("claimant"), list):
            check.fail(check.line_of(claim, "claimant"), f"{what} must have exactly one claimant")
            claimant = None
        about = check.text(claim, "about", what)
        quote = check.text(claim, "quote", what)
        claim_type = check.concept(claim, "type", "ClaimTypes", what)
        stance = check.concept(claim, "stance", "Stances", what)
        made = check.when(claim, "made", what, anchor, required=False) or anchor
        figure = _read_figure(claim, check, what) if "figure" in claim else None
        if claim_type == IKG.figure and figure is None and "figure" not in claim:
            check.fail(claim.line, f"{what} is a figure but has no figure: {{measure, value}}")
        start = -1
        if quote:
            occurrence = claim.get("occurrence", 1)
            start = _locate(body, quote, occurrence if isinstance(occurrence, int) and occurrence > 0 else 1)
            if start < 0:
                check.fail(check.line_of(claim, "quote"), f"{what}: quote not found verbatim in the article body: {quote!r}")
        if None in (claim_id, claimant, about, quote, claim_type, stance) or start < 0:
            continue
        claims.append(Claim(
            claim_id, claim_type, claimant, about, stance, quote, start, start + len(quote), made,
            via=check.ids(claim, "via"), accused=check.ids(claim, "accused"),
            during=check.text(claim, "during", what, required=False), figure=figure, line=claim.line,
            review=check.review(claim, what),
        ))
    return claims


def read_article(text_path: Path, annotation_path: Path, ontology: Ontology) -> Article:
    """Read one article and its annotation; raise :class:`AnnotationError` on any problem."""
    raw = text_path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise AnnotationError([_decode_problem(text_path, error)]) from None
    data = read_yaml(annotation_path)
    check = _Checker(annotation_path, ontology)
    if not isinstance(data, dict) or not isinstance(data.get("article"), dict):
        raise AnnotationError([Problem(str(annotation_path), getattr(data, "line", 1), "no 'article:' mapping")])
    meta = data["article"]
    unexpected = set(data) - {"article", "things", "claims", "draft"}
    for key in sorted(unexpected, key=str):
        check.fail(check.line_of(data, key), f"unknown top-level key {key!r} (article, things, claims, draft)")
    draft = data.get("draft")
    if draft is not None and not (isinstance(draft, dict) and draft.get("extractor")):
        check.fail(check.line_of(data, "draft"), "draft must be a mapping with an extractor")
    body = _cut_body(text, meta.get("body"), check, check.line_of(meta, "body"))
    published = check.when(meta, "published", "article", None, required=True)
    dateline = check.when(meta, "dateline", "article", published, required=False)
    anchor = dateline or published or When.unknown("The article's date is not known.")
    for when, key in ((published, "published"), (dateline, "dateline")):
        if when and when.expression and when.expression not in text:
            check.fail(check.line_of(meta, key), f"article {key}: expression {when.expression!r} is not in the article text")
    reliability = check.concept(meta, "reliability", "ReliabilityScale", "article", default="F")
    things = _read_things(data.get("things"), check, anchor)
    claims = _read_claims(data.get("claims"), body or "", anchor, check) if body is not None else []
    title = meta.get("title")
    if title and title not in text:
        check.fail(check.line_of(meta, "title"), f"article title {title!r} is not in the article text")
    if check.problems:
        raise AnnotationError(check.problems)
    return Article(
        stem=text_path.stem, text_path=text_path, sha256=hashlib.sha256(raw).hexdigest(), body=body,
        title=title, publisher=meta.get("publisher"), carried_by=meta.get("carried_by"),
        authors=check.ids(meta, "author"), published=published, dateline=dateline,
        reliability=reliability, language=str(meta.get("language", "en")),
        things=tuple(things), claims=tuple(claims), meta_lines=dict(meta.lines),
        draft=dict(draft) if isinstance(draft, dict) else None,
        source=meta.get("source"), url=meta.get("url"),
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

# From this many articles on, they are read in a pool of processes (load_corpus of 4,326 articles:
# 6.5-6.8 s in two, against 7.5-11.3 s in one); for a few, starting them costs more than it saves.
PARALLEL_FROM = 200


def _read_articles(pairs: list[tuple[Path, Path]], ontology: Ontology) -> Iterator[tuple[Article | None, list[Problem]]]:
    """Each ``(text, annotation)`` pair read, in order, as ``(article or None, problems)``.

    Articles are read on their own, so a large corpus is spread over forked processes, which
    inherit the ontology; only the articles travel back.
    """
    workers = os.cpu_count() or 1
    if len(pairs) < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from (_read_one(pair, ontology) for pair in pairs)
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


def _read_one(pair: tuple[Path, Path], ontology: Ontology | None = None) -> tuple[Article | None, list[Problem]]:
    """:func:`read_article`, with its problems returned rather than raised."""
    try:
        return read_article(*pair, ontology or _worker_ontology), []
    except AnnotationError as error:
        return None, error.problems


def load_corpus(seeds_dir: Path | str, ontology: Ontology | None = None, *,
                progress: Callable[[str, int, int], None] | None = None) -> Corpus:
    """Load ``catalog.yaml`` and every ``*.txt`` article with its ``*.yaml`` annotation.

    Parameters
    ----------
    seeds_dir : path
        A folder laid out like ``seeds/``.
    progress : callable, optional
        Called as ``progress("reading annotations", done, total)`` after each article.

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
    catalog_path = seeds_dir / CATALOG_NAME
    things: dict[str, Thing] = {}
    if catalog_path.exists():
        check = _Checker(catalog_path, ontology)
        catalog = read_yaml(catalog_path)
        for thing in _read_things(catalog.get("things") if isinstance(catalog, dict) else None, check, None):
            if thing.id in things:
                check.fail(thing.line, f"thing {thing.id} is defined twice")
            things[thing.id] = thing
        # The catalog stands on its own: it may not lean on things that an article defines.
        check.problems += _reference_problems(catalog_path, list(things.values()), [], None, things, ontology)
        if check.problems:
            raise AnnotationError(check.problems)

    articles: dict[str, Article] = {}
    problems: list[Problem] = []
    text_paths = sorted(seeds_dir.glob("*.txt"))
    if progress:
        progress("reading annotations", 0, len(text_paths))
    for text_path in text_paths:
        if not text_path.with_suffix(".yaml").exists():
            problems.append(Problem(str(text_path), 1, f"no annotation {text_path.stem}.yaml beside the article"))
    pairs = [(path, path.with_suffix(".yaml")) for path in text_paths if path.with_suffix(".yaml").exists()]
    for done, (article, found) in enumerate(_read_articles(pairs, ontology), start=1):
        if article is not None:
            articles[article.stem] = article
        problems.extend(found)
        if progress:
            progress("reading annotations", done + len(text_paths) - len(pairs), len(text_paths))
    for annotation_path in sorted(seeds_dir.glob("*.yaml")):
        if annotation_path.name != CATALOG_NAME and not annotation_path.with_suffix(".txt").exists():
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
    return Corpus(dict(sorted(available.items())), list(articles.values()), sorted(set(problems)))
