"""The review of a corpus's drafts as plain steps: what is pending, accept, reject, fix.

Every step rewrites one annotation file atomically (a temporary file beside it, checked by the
annotation loader, then ``os.replace``), keeping its comments, key order and quoting
(ruamel.yaml's round trip). A fix the loader would refuse is refused before anything is written.

>>> import shutil, tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> session = ReviewSession(folder)  # a folder without drafts
>>> session.items
[]
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.util import load_yaml_guess_indent

from ..exceptions import AnnotationError, InputError, UsageError
from ..ontology.annotations import CATALOG_NAME, Corpus, Problem, load_corpus, read_article, read_yaml
from ..ontology.schema import load_ontology
from ..ontology.vocab import IKG

CLAIM_FIXES = ("claimant", "type", "stance", "accused")
"""The fields of a drafted claim a reviewer can fix."""


@dataclass(frozen=True)
class Item:
    """One drafted item awaiting review: an article's metadata, a thing or a claim.

    ``fields`` are what the reviewer reads (name, value); ``span`` locates the item in ``body``
    (the article text) when it has one.
    """

    path: Path
    kind: str  # "article", "thing" or "claim"
    id: str
    fields: tuple[tuple[str, str], ...]
    body: str | None = None
    span: tuple[int, int] | None = None
    confidence: Decimal | None = None

    @property
    def key(self) -> str:
        """``<file stem>/<id>``: how the command line names the item."""
        return f"{self.path.stem}/{self.id}"


# --------------------------------------------------------------------------- YAML round trip

def _yaml(text: str) -> YAML:
    """A round-trip YAML that writes ``text``'s layout back (its indents, quotes and nulls).

    The seeds indent list items by two (``  - id:``), PyYAML's dumps (what ``ingest`` writes) by
    none; lines are never re-wrapped, so a long quote stays on one line.
    """
    _, indent, offset = load_yaml_guess_indent(text)
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=indent or 4, offset=offset if offset is not None else 2)
    yaml.representer.add_representer(type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    return yaml


def write_atomically(path: Path, text: str, check: Callable[[Path], None] | None = None) -> None:
    """Replace ``path`` by ``text`` in one step, after ``check(temporary path)`` has passed.

    The text goes to a temporary file in the same folder (so the rename cannot cross file
    systems), is flushed to disk, checked, and renamed over ``path``; a failed check leaves
    ``path`` as it was.
    """
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        if check is not None:
            check(Path(temporary))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _entry(data, item: Item):
    """The mapping of ``item`` in the parsed annotation ``data``."""
    if item.kind == "article":
        return data["article"]
    for entry in data.get("things" if item.kind == "thing" else "claims") or []:
        if str(entry.get("id")) == item.id:
            return entry
    raise UsageError(f"{item.path}: no {item.kind} {item.id!r} any more (was the file edited meanwhile?)")


# --------------------------------------------------------------------------- the session

class ReviewSession:
    """The drafted items of a corpus folder (or of one of its articles) and the steps on them.

    Parameters
    ----------
    corpus_dir : path
        A folder in the seeds layout (``incidentkg ingest`` writes one).
    article : str, optional
        Only this article: its stem (``004_8a545dddbdeb0a1d``) or its ``.txt``/``.yaml`` file name.
    """

    def __init__(self, corpus_dir: Path | str, article: str | None = None):
        self.corpus_dir = Path(corpus_dir)
        if not self.corpus_dir.is_dir():
            raise UsageError(f"{self.corpus_dir}: not a folder")
        self.article = Path(article).stem if article else None
        if self.article and not (self.corpus_dir / f"{self.article}.yaml").exists():
            raise UsageError(f"{self.corpus_dir / self.article}.yaml: no such annotation")
        self.ontology = load_ontology()
        self.corpus = self._load()
        self.items = self._pending()

    def _load(self) -> Corpus:
        if not any(self.corpus_dir.glob("*.txt")):
            return Corpus({}, [])
        corpus = load_corpus(self.corpus_dir, self.ontology)
        if self.article and self.article not in {a.stem for a in corpus.articles}:
            raise AnnotationError([p for p in corpus.problems if Path(p.path).stem == self.article]
                                  or [Problem(str(self.corpus_dir / f"{self.article}.yaml"), 1, "does not load")])
        return corpus

    def _pending(self) -> list[Item]:
        items = []
        catalog = self.corpus_dir / CATALOG_NAME
        if self.article is None:
            items += [_thing_item(catalog, thing, None) for thing in self.corpus.things.values()
                      if thing.defined_in == str(catalog) and thing.review.status == "draft"]
        for article in self.corpus.articles:
            if article.extractor is None or self.article not in (None, article.stem):
                continue
            path = article.text_path.with_suffix(".yaml")
            if article.review.status == "draft":
                items.append(_article_item(path, article))
            items += [_thing_item(path, thing, article.body) for thing in article.things
                      if thing.review.status == "draft"]
            items += [_claim_item(path, claim, article.body, self.corpus) for claim in article.claims
                      if claim.review.status == "draft"]
        return items

    def find(self, name: str) -> Item:
        """The pending item named ``name``: ``<stem>/<id>``, or a bare id when only one item has it."""
        matches = [item for item in self.items if name in (item.key, item.id)]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise UsageError(f"no draft item {name!r} awaits review"
                             + (f" (pending: {', '.join(i.key for i in self.items[:8])})" if self.items else ""))
        raise UsageError(f"{name!r} names {len(matches)} items: say which, as "
                         + " or ".join(item.key for item in matches))

    # ----------------------------------------------------------------- the steps

    def accept(self, item: Item) -> None:
        """Mark ``item`` accepted: it stays generated by its extractor, now reviewed."""
        self._rewrite(item, lambda entry: entry.__setitem__("status", "accepted"))
        self.items.remove(item)

    def reject(self, item: Item) -> None:
        """Delete ``item`` from its annotation; a thing that others still name is refused."""
        if item.kind == "article":
            raise UsageError(f"{item.key}: an article's metadata cannot be rejected; fix or accept it "
                             "(or delete the article's files)")
        if item.kind == "thing":
            users = self._users_of(item.id)
            if users:
                raise UsageError(f"{item.key}: still named by {', '.join(users)}; reject or fix those first")

        def drop(data) -> None:
            entries = data["things" if item.kind == "thing" else "claims"]
            entries.remove(_entry(data, item))

        self._rewrite_file(item.path, drop)
        self.items.remove(item)

    def fix(self, item: Item, field: str, value: str) -> Item:
        """Set ``field`` (claimant, type, stance or accused) of a drafted claim; returns the item as now.

        ``accused`` takes ids separated by spaces or commas (nothing removes it). The value must
        be what the loader accepts: a known actor, a claim type or stance of the ontology.
        """
        if item.kind != "claim" or field not in CLAIM_FIXES:
            raise UsageError(f"{item.key}: only a claim's {', '.join(CLAIM_FIXES)} can be fixed, not {field!r}")
        new = self._checked(field, value)
        if field == "accused" and not new:
            self._rewrite(item, lambda entry: entry.pop("accused", None))
        else:
            self._rewrite(item, lambda entry: entry.__setitem__(field, new))
        fixed = replace(item, fields=tuple((name, _shown(field, new, self.corpus) if name == field else shown)
                                           for name, shown in item.fields))
        self.items[self.items.index(item)] = fixed
        return fixed

    def _checked(self, field: str, value: str):
        value = value.strip()
        if field in ("type", "stance"):
            scheme = "ClaimTypes" if field == "type" else "Stances"
            if self.ontology.concept(scheme, value) is None:
                raise InputError(f"{field} {value!r} is not one of {', '.join(self.ontology.notations(scheme))}")
            return value
        ids = value.replace(",", " ").split()
        for thing_id in ids:
            thing = self.corpus.things.get(thing_id)
            if thing is None or not self.ontology.is_a(thing.cls, IKG.Actor):
                raise InputError(f"{field} {thing_id!r} is not the id of an actor of the corpus")
        if field == "claimant":
            if len(ids) != 1:
                raise InputError(f"a claim has exactly one claimant, not {value!r}")
            return ids[0]
        seq = CommentedSeq(ids)
        seq.fa.set_flow_style()
        return seq

    def _users_of(self, thing_id: str) -> list[str]:
        """Where ``thing_id`` is named: claims, article metadata, other things' properties."""
        users = []
        for article in self.corpus.articles:
            if thing_id in (article.publisher, article.carried_by, *article.authors):
                users.append(f"{article.stem}/article")
            users += [f"{article.stem}/{c.id}" for c in article.claims
                      if thing_id in (c.claimant, c.about, c.during, *c.accused, *c.via)]
        users += [thing.id for thing in self.corpus.things.values() if thing.id != thing_id
                  and any(info.is_object and value == thing_id for info, value in thing.properties)]
        return users

    # ----------------------------------------------------------------- writing

    def _rewrite(self, item: Item, change: Callable) -> None:
        self._rewrite_file(item.path, lambda data: change(_entry(data, item)))

    def _rewrite_file(self, path: Path, change: Callable) -> None:
        text = path.read_text(encoding="utf-8")
        yaml = _yaml(text)
        data = yaml.load(text)
        change(data)
        buffer = io.StringIO()
        yaml.dump(data, buffer)
        write_atomically(path, buffer.getvalue(), lambda temporary: self._check(path, temporary))
        self.corpus = self._load()

    def _check(self, path: Path, temporary: Path) -> None:
        """The loader's verdict on the rewritten annotation, with problems named by ``path``."""
        try:
            if path.name == CATALOG_NAME:
                read_yaml(temporary)
            else:
                read_article(path.with_suffix(".txt"), temporary, self.ontology)
        except AnnotationError as error:
            raise AnnotationError([Problem(str(path), p.line, p.message) for p in error.problems]) from None


# --------------------------------------------------------------------------- items as the reviewer sees them

def _shown(field: str, value, corpus: Corpus) -> str:
    """A field's value for the reviewer: ids with their labels."""
    ids = [value] if isinstance(value, str) and field in ("claimant", "about") else \
        list(value) if field == "accused" and value is not None else None
    if ids is None:
        return str(value)
    return ", ".join(f"{i} ({corpus.things[i].label})" if i in corpus.things else i for i in ids) or "(none)"


def _article_item(path: Path, article) -> Item:
    fields = (("title", str(article.title)), ("publisher", str(article.publisher)),
              ("author", ", ".join(article.authors) or "(none)"), ("published", article.published.label),
              ("source", str(article.source)), ("url", str(article.url)))
    return Item(path, "article", "article", fields, article.body, None, article.review.confidence)


def _thing_item(path: Path, thing, body: str | None) -> Item:
    fields = (("type", thing.cls.fragment), ("label", thing.label), ("aliases", ", ".join(thing.aliases) or "(none)"),
              ("same as", ", ".join(thing.review.same_as) or "(none)"))
    return Item(path, "thing", thing.id, fields, body, thing.review.span, thing.review.confidence)


def _claim_item(path: Path, claim, body: str, corpus: Corpus) -> Item:
    fields = (("type", claim.claim_type.fragment), ("claimant", _shown("claimant", claim.claimant, corpus)),
              ("stance", claim.stance.fragment), ("about", _shown("about", claim.about, corpus)),
              ("accused", _shown("accused", claim.accused, corpus)), ("quote", claim.quote))
    return Item(path, "claim", claim.id, fields, body, (claim.start, claim.end), claim.review.confidence)
