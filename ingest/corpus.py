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
from .extract import EXTRACTOR, VERSION, Draft, compose_text, extract
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
        """Write ``draft`` into the folder; return its stem and ``"added"``/``"new version"``/``"unchanged"``."""
        if stem := self.stem_of(draft.text):
            return stem, "unchanged"
        replaced = self.previous_version(draft)
        number = int(_STEM.match(replaced)[1]) if replaced else self.next_number()
        stem = f"{number:03d}_{content_hash(draft.text)}"
        if replaced:
            self._retire(replaced)
            draft.article["previous_version"] = replaced
        name, version = draft.extractor
        annotation = {"draft": {"extractor": name, "version": version}, "article": draft.article,
                      "things": self._place_things(stem, draft.things), "claims": draft.claims}
        self.folder.mkdir(parents=True, exist_ok=True)
        _write_atomic(self.folder / f"{stem}.txt", draft.text)
        _write_atomic(self.folder / f"{stem}.yaml", _dump(annotation))
        self.drafts[stem] = annotation
        return stem, "new version" if replaced else "added"

    def _retire(self, stem: str) -> None:
        (self.folder / VERSIONS).mkdir(exist_ok=True)
        for suffix in (".txt", ".yaml"):
            os.replace(self.folder / f"{stem}{suffix}", self.folder / VERSIONS / f"{stem}{suffix}")
        del self.drafts[stem]

    def _place_things(self, stem: str, things: list[dict]) -> list[dict]:
        """The things the new draft defines itself; those another draft also names go to the catalog.

        A thing that moves takes the things it refers to (an incident's target) with it: the
        catalog must stand on its own.
        """
        new = {thing["id"]: thing for thing in things}
        queue = [t for t in new if t in self.catalog or self._holders(t)]
        while queue:
            thing_id = queue.pop(0)
            entry = self._take(thing_id, new.get(thing_id))
            queue.extend(ref for key in _REFERENCES for ref in _as_list(entry.get(key))
                         if ref not in self.catalog and ref not in queue and (ref in new or self._holders(ref)))
        if any(thing_id in self.catalog for thing_id in new):
            self._write_catalog()
        return [thing for thing in things if thing["id"] not in self.catalog]

    def _holders(self, thing_id: str) -> list[str]:
        return [stem for stem, draft in self.drafts.items() if any(t["id"] == thing_id for t in draft.get("things") or [])]

    def _take(self, thing_id: str, record: dict | None) -> dict:
        """Move ``thing_id`` into the catalog from the drafts that define it, merged with ``record``."""
        found = [record] if record else []
        for holder in self._holders(thing_id):
            draft = self.drafts[holder]
            found += [t for t in draft["things"] if t["id"] == thing_id]
            draft["things"] = [t for t in draft["things"] if t["id"] != thing_id]
            _write_atomic(self.folder / f"{holder}.yaml", _dump(draft))
        entry = self.catalog.get(thing_id) or {k: v for k, v in found.pop(0).items() if k != "span"}
        for other in found:
            _merge(entry, other)
        self.catalog[thing_id] = entry
        return entry

    def _write_catalog(self) -> None:
        if self.catalog:
            things = [self.catalog[key] for key in sorted(self.catalog)]
            # The catalog's candidate entities are drafts too: the header says who drafted them.
            _write_atomic(self.folder / CATALOG, _dump({"draft": {"extractor": EXTRACTOR, "version": VERSION},
                                                        "things": things}))


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
    """
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
            report.failures.append((str(path), str(error)))
        except (RecursionError, MemoryError, UnicodeError, ValueError) as error:
            report.failures.append((str(path), f"{path}: cannot be ingested: {type(error).__name__}: {error}"))
        if progress:
            progress("ingesting", done, len(files))
    return report
