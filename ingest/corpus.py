"""A corpus folder of drafts: stable article ids, new versions, the shared catalog, the batch.

Layout (``incidentkg build --seeds DIR`` reads it like ``seeds/``): ``NNN_<hash>.txt`` (the
normalised text), ``NNN_<hash>.yaml`` (its draft annotation), ``catalog.yaml`` (the entities
several drafts share: a thing is defined once, so the second draft that names it moves it
there) and ``versions/`` (the drafts an edited article replaced).

``<hash>`` is the SHA-256 of the normalised text: ingesting an article again changes nothing. An
article whose file name, URL or title is that of a draft and whose text is mostly the same is a
new version of it: it keeps the number, and the old files move to ``versions/``.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .clean import clean
from .dates import better_known
from .extract import EXTRACTOR, VERSION, Draft, extract
from .metadata import compose_text
from .names import Gazetteer, entity_of, known_names
from .readers import SUFFIXES, read_article
from ..exceptions import IncidentKGError, InputError
from ..seeds import SEEDS_DIR

CATALOG = "catalog.yaml"
VERSIONS = "versions"
SAME_ARTICLE = 0.6
"""Share of matching text from which an article with a draft's name is a new version of it."""
_STEM = re.compile(r"^(\d{3,})_([0-9a-f]{16})$")


def content_hash(text: str) -> str:
    """The first 16 hex digits of the SHA-256 of the normalised text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# libyaml's emitter: the pure-Python one took most of an ingest's time.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _dump(data) -> str:
    return yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=120, default_flow_style=None)


_THING_YAML: dict[str, str] = {}
"""Each catalog thing's YAML by its ``repr`` (a dict's repr tells apart all that dumps apart): the
catalog is written again whenever a draft adds to it, so most of its things were dumped before."""


def _dump_catalog(things: list[dict]) -> str:
    """``_dump({"draft": ..., "things": things})``, byte for byte, from each thing's cached YAML.

    A top-level list is written as a mapping's list is (an item at column 0, "- "), so the text
    of a one-item list is that item's lines in the whole file.
    """
    if not things or _shares_containers(things):  # YAML anchors (&id001) are numbered across the file
        return _dump({"draft": {"extractor": EXTRACTOR, "version": VERSION}, "things": things})
    parts = []
    for thing in things:
        key = repr(thing)
        if (text := _THING_YAML.get(key)) is None:
            if len(_THING_YAML) >= 100_000:  # a long batch: memory stays bounded
                _THING_YAML.clear()
            text = _THING_YAML[key] = _dump([thing])
        parts.append(text)
    return _dump({"draft": {"extractor": EXTRACTOR, "version": VERSION}}) + "things:\n" + "".join(parts)


def _shares_containers(value, seen: set[int] | None = None) -> bool:
    """Whether a dict or list appears twice in ``value`` (the YAML dumper writes it as an alias).

    >>> when = {"date": "2024"}
    >>> _shares_containers([{"when": when}, {"when": when}]), _shares_containers([{"when": dict(when)}, {"when": when}])
    (True, False)
    """
    seen = set() if seen is None else seen
    if not isinstance(value, (dict, list, tuple)):
        return False
    if value and id(value) in seen:
        return True
    seen.add(id(value))
    return any(_shares_containers(v, seen) for v in (value.values() if isinstance(value, dict) else value))


def _write_atomic(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


class Corpus:
    """The drafts and catalog of a corpus folder, loaded once for a batch.

    >>> import tempfile
    >>> corpus = Corpus(tempfile.mkdtemp())
    >>> corpus.drafts
    {}
    """

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        self.catalog: dict[str, dict] = {}
        self.drafts: dict[str, dict] = {}  # stem -> annotation
        catalog_path = self.folder / CATALOG
        if catalog_path.exists():
            data = yaml.safe_load(catalog_path.read_text(encoding="utf-8")) or {}
            self.catalog = {str(t["id"]): t for t in data.get("things") or []}
        for path in sorted(self.folder.glob("*.yaml")):
            if path.name != CATALOG and _STEM.match(path.stem):
                self.drafts[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}

    def names(self, catalog_path: Path | None = SEEDS_DIR / CATALOG) -> Gazetteer:
        """The gazetteer of this corpus: its own entities first, then the seeds catalog and the rest."""
        records = [*self.catalog.values(), *(t for d in self.drafts.values() for t in d.get("things") or [])]
        return known_names(catalog_path, [entity_of(record, "corpus") for record in records])

    def stem_of(self, text: str) -> str | None:
        """The stem of the draft of exactly this text, if there is one."""
        digest = content_hash(text)
        return next((stem for stem in self.drafts if stem.endswith(digest)), None)

    def previous_version(self, draft: Draft) -> str | None:
        """The draft that ``draft`` is a new version of: same file, URL or title, mostly the same text."""
        keys = {draft.article.get(k) for k in ("source", "url", "title")} - {None}
        for stem, old in self.drafts.items():
            meta = old.get("article") or {}
            if keys & {meta.get(k) for k in ("source", "url", "title")}:
                old_text = (self.folder / f"{stem}.txt").read_text(encoding="utf-8")
                if difflib.SequenceMatcher(None, old_text, draft.text, autojunk=False).quick_ratio() >= SAME_ARTICLE:
                    return stem
        return None

    def next_number(self) -> int:
        numbers = [int(_STEM.match(stem)[1]) for stem in self.drafts]
        numbers += [int(m[1]) for p in (self.folder / VERSIONS).glob("*.yaml") if (m := _STEM.match(p.stem))]
        return max(numbers, default=-1) + 1

    def add(self, draft: Draft) -> tuple[str, str]:
        """Write ``draft`` into the folder; return its stem and ``"added"``/``"new version"``/``"unchanged"``.

        Nothing is written unless the draft loads as the build would load it (see
        :func:`load_problems`): a corpus never holds a draft that breaks ``incidentkg build``.

        Raises
        ------
        InputError
            When the draft would not load; the message names the article and the loader's problem.
        """
        if stem := self.stem_of(draft.text):
            return stem, "unchanged"
        replaced = self.previous_version(draft)
        number = int(_STEM.match(replaced)[1]) if replaced else self.next_number()
        stem = f"{number:03d}_{content_hash(draft.text)}"
        article = {**draft.article, "previous_version": replaced} if replaced else draft.article
        catalog, rewritten, own = self._place_things(draft.things, replaced)
        name, version = draft.extractor
        annotation = {"draft": {"extractor": name, "version": version}, "article": article,
                      "things": own, "claims": draft.claims}
        dumped = _dump(annotation)
        if problems := load_problems(stem, draft.text, annotation, catalog, dumped=dumped):
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise InputError(f"{draft.article.get('source') or stem}: draft {stem} not written, it would not load: "
                             f"{_one_line(problems[0].message)} (line {problems[0].line} of "
                             f"{Path(problems[0].path).name}){more}")
        # Checked: now write, the retired version first, the catalog before the drafts that lean on it.
        self.folder.mkdir(parents=True, exist_ok=True)
        if replaced:
            self._retire(replaced)
            draft.article["previous_version"] = replaced
        if catalog != self.catalog:
            self.catalog = catalog
            self._write_catalog()
        for holder, moved_from in rewritten.items():
            _write_atomic(self.folder / f"{holder}.yaml", _dump(moved_from))
            self.drafts[holder] = moved_from
        _write_atomic(self.folder / f"{stem}.txt", draft.text)
        _write_atomic(self.folder / f"{stem}.yaml", dumped)
        self.drafts[stem] = annotation
        return stem, "new version" if replaced else "added"

    def _retire(self, stem: str) -> None:
        (self.folder / VERSIONS).mkdir(exist_ok=True)
        for suffix in (".txt", ".yaml"):
            os.replace(self.folder / f"{stem}{suffix}", self.folder / VERSIONS / f"{stem}{suffix}")
        del self.drafts[stem]

    def _place_things(self, things: list[dict], replaced: str | None = None) -> tuple[dict, dict, list[dict]]:
        """Where the things of a new draft go, without changing anything yet.

        The new draft defines a thing itself unless another draft (other than ``replaced``, the
        version it replaces) also names it or the catalog has it: then it goes to the catalog,
        taken out of the drafts that define it. A thing that moves takes the things it refers to
        (an incident's target) with it: the catalog must stand on its own.

        Returns
        -------
        tuple
            The catalog after the move, the other drafts it rewrites (stem -> annotation) and the
            things the new draft defines itself.
        """
        catalog = dict(self.catalog)
        drafts = {stem: draft for stem, draft in self.drafts.items() if stem != replaced}
        rewritten: dict[str, dict] = {}

        # Which drafts define each id, indexed once: a scan of every draft per new thing grew with the corpus.
        defined_in: dict[str, dict[str, None]] = {}
        for stem, draft in drafts.items():
            for thing in draft.get("things") or []:
                defined_in.setdefault(thing["id"], {})[stem] = None

        def holders(thing_id: str) -> list[str]:
            return list(defined_in.get(thing_id, ()))

        def take(thing_id: str, record: dict | None) -> dict:
            found = [record] if record else []
            for holder in holders(thing_id):
                found += [t for t in drafts[holder]["things"] if t["id"] == thing_id]
                drafts[holder] = rewritten[holder] = {
                    **drafts[holder], "things": [t for t in drafts[holder]["things"] if t["id"] != thing_id]}
            defined_in.pop(thing_id, None)
            entry = copy.deepcopy(catalog.get(thing_id) or {k: v for k, v in found.pop(0).items() if k != "span"})
            for other in found:
                _merge(entry, other)
            catalog[thing_id] = entry
            return entry

        new = {thing["id"]: thing for thing in things}
        queue = [t for t in new if t in catalog or holders(t)]
        while queue:
            thing_id = queue.pop(0)
            entry = take(thing_id, new.get(thing_id))
            queue.extend(ref for key in _REFERENCES for ref in _as_list(entry.get(key))
                         if ref not in catalog and ref not in queue and (ref in new or holders(ref)))
        return catalog, rewritten, [thing for thing in things if thing["id"] not in catalog]

    def _write_catalog(self) -> None:
        if self.catalog:
            things = [self.catalog[key] for key in sorted(self.catalog)]
            # The catalog's candidate entities are drafts too: the header says who drafted them.
            _write_atomic(self.folder / CATALOG, _dump_catalog(things))


def _ids_in(value, known) -> set[str]:
    """The strings anywhere in ``value`` (a YAML tree) that are keys of ``known``."""
    if isinstance(value, dict):
        return set().union(*(_ids_in(v, known) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_ids_in(v, known) for v in value))
    return {value} if isinstance(value, str) and value in known else set()


def load_problems(stem: str, text: str, annotation: dict, catalog: dict[str, dict], *,
                  dumped: str | None = None) -> list:
    """What the build's loader finds wrong with a draft, before it is written (``[]``: it loads).

    The article ``stem.txt`` with its ``annotation`` (``dumped``: its YAML, when already
    written out) is loaded by :func:`incidentkg.ontology.annotations.load_corpus`, as
    ``incidentkg build`` loads it, in a folder of its own beside the ``catalog`` entries it refers
    to (and the entries those refer to). The folder is never written: its files are read from
    memory, and the data are checked as they are (:func:`~incidentkg.ontology.annotations.plain_data`);
    only when that finds a problem is the YAML text parsed, for the lines that name it. Problems
    name the files by their bare names (``000_0123456789abcdef.yaml``, ``catalog.yaml``).

    >>> load_problems("000_0123456789abcdef", "Body.", {"draft": {"extractor": "x", "version": "1"}, "article": {}}, {})[0]
    Problem(path='000_0123456789abcdef.yaml', line=2, message="article has no published (write 'published: unknown' if it is not known)")
    """
    from ..exceptions import AnnotationError
    from ..ontology.annotations import load_corpus, plain_data

    needed, queue = set(), list(_ids_in(annotation, catalog))
    while queue:
        if (thing_id := queue.pop()) not in needed:
            needed.add(thing_id)
            queue.extend(_ids_in(catalog[thing_id], catalog) - needed)
    texts = {f"{stem}.txt": text, f"{stem}.yaml": dumped or _dump(annotation)}
    parsed = {f"{stem}.yaml": plain_data(annotation)}
    if needed:
        things = [catalog[key] for key in sorted(needed)]
        texts[CATALOG] = _dump_catalog(things)
        parsed[CATALOG] = plain_data({"draft": {"extractor": EXTRACTOR, "version": VERSION}, "things": things})

    def problems(parsed: dict) -> list:
        try:
            return load_corpus(Path(), texts=texts, parsed=parsed).problems
        except AnnotationError as error:
            return error.problems

    if None not in parsed.values() and not problems(parsed):
        return []
    return problems({})  # the text itself, for the lines


def _one_line(message: str) -> str:
    """``message`` on one line: its first, and how many more there were."""
    lines = [line.strip() for line in str(message).splitlines() if line.strip()] or [""]
    return lines[0] + (f" (and {len(lines) - 1} more lines)" if len(lines) > 1 else "")


_REFERENCES = ("target", "used_malware", "affected", "location", "country", "part_of", "affiliated_with")


def _as_list(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)] if value else []


def _merge(entry: dict, thing: dict) -> dict:
    """``entry`` with the aliases and links of ``thing`` added, and the higher confidence."""
    aliases = [a for a in dict.fromkeys([*(entry.get("aliases") or []), *(thing.get("aliases") or []),
                                         thing["label"]]) if a != entry["label"]]
    if aliases:
        entry["aliases"] = aliases
    links = list(dict.fromkeys([*(entry.get("same_as") or []), *(thing.get("same_as") or [])]))
    if links:
        entry["same_as"] = links
    if better_known(thing.get("when"), entry.get("when")):
        entry["when"] = thing["when"]  # one article dates what another did not
    entry["confidence"] = max(entry.get("confidence", 0), thing.get("confidence", 0))
    return entry


# --------------------------------------------------------------------------- the batch

@dataclass
class IngestReport:
    """What a batch did: ``(file, stem, what)`` per article ingested, ``(file, reason)`` per failure."""

    done: list[tuple[str, str, str]] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)


def article_files(paths: Iterable[Path | str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The article files of ``paths`` (folders searched recursively) and the paths that are none."""
    found, missing = [], []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES))
        elif path.is_file():
            found.append(path)
        else:
            missing.append((str(path), f"{path}: no such file or folder"))
    return found, missing


def ingest_file(path: Path, corpus: Corpus, names: Gazetteer, *, nlp: bool = False) -> tuple[str, str]:
    """Read, clean, extract and write one article; new entities join ``names``.

    ``nlp=True`` reads claimants and accused from spaCy's parse (the ``nlp`` extra, :mod:`incidentkg.ingest.nlp`).

    Raises
    ------
    InputError
        The file cannot be read, nothing of it is article text, its draft would not load, or a
        step failed on it (an extractor's ``TypeError`` on odd input): one line naming the file.
    """
    try:
        return _ingest_file(path, corpus, names, nlp=nlp)
    except IncidentKGError as error:
        if str(path) in str(error):
            raise
        raise InputError(f"{path}: {_one_line(error)}") from error
    except Exception as error:  # any failure on one article is that article's, never the batch's
        raise InputError(f"{path}: cannot be ingested: {type(error).__name__}: {_one_line(error)}") from error


def _ingest_file(path: Path, corpus: Corpus, names: Gazetteer, *, nlp: bool = False) -> tuple[str, str]:
    raw = read_article(path)
    body = clean(raw.text)
    if not body.strip():
        raise InputError(f"{path}: nothing is left of the text once junk blocks are dropped")
    text = compose_text(body, title=raw.title, author=raw.author, published=raw.published)
    if stem := corpus.stem_of(text):
        return stem, "unchanged"
    draft = extract(text, names, source=path.name, title=raw.title, url=raw.url, published=raw.published,
                    author=raw.author, publisher=raw.publisher, nlp=nlp)
    stem, what = corpus.add(draft)
    for thing in draft.things:
        names.add(entity_of(thing, "corpus"))
    return stem, what


def ingest(paths: Iterable[Path | str], corpus_dir: Path | str, *,
           progress: Callable[[str, int, int], None] | None = None, nlp: bool = False) -> IngestReport:
    """Ingest files and folders of articles into ``corpus_dir``; a bad file never stops the batch.

    Parameters
    ----------
    paths : iterable of path
        Article files and folders of them (``.txt``, ``.md``, ``.html``, ``.json``, ``.pdf``).
    corpus_dir : path
        The corpus folder (made when missing).
    progress : callable, optional
        Called as ``progress("ingesting", done, total)``.
    nlp : bool, default False
        Read claimants and accused from spaCy's parse (the ``nlp`` extra, :mod:`incidentkg.ingest.nlp`).

    Returns
    -------
    IngestReport

    Raises
    ------
    UsageError
        ``nlp=True`` without the ``nlp`` extra installed (before any file is read).
    """
    if nlp:
        from .nlp import pipeline
        pipeline()
    files, missing = article_files(paths)
    report = IngestReport(failures=list(missing))
    corpus = Corpus(corpus_dir)
    names = corpus.names()
    for done, path in enumerate(files, start=1):
        try:
            stem, what = ingest_file(path, corpus, names, nlp=nlp)
            report.done.append((str(path), stem, what))
        except IncidentKGError as error:
            report.failures.append((str(path), _one_line(error)))
        if progress:
            progress("ingesting", done, len(files))
    return report
