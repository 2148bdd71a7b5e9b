"""Articles in, draft annotations out: ``incidentkg ingest`` as steps a notebook can call.

>>> from incidentkg.ingest import read_article, clean, extract, resolve, write_draft  # doctest: +SKIP
>>> raw = read_article("report.html")                      # text + the file's metadata
>>> text = clean(raw.text)                                 # decoded, repaired, junk dropped
>>> names = resolve("my-corpus")                           # corpus + seeds catalog + countries + MISP
>>> draft = extract(text, names, source=raw.source, title=raw.title, published=raw.published)
>>> write_draft(draft, "my-corpus")                        # ('000_1f2e...', 'added')

``ingest(paths, corpus_dir)`` runs them over files and folders; a bad file is reported, not fatal.
"""

from pathlib import Path

from .clean import clean
from .corpus import Corpus, IngestReport, ingest
from .extract import Draft, extract
from .names import Gazetteer
from .readers import RawArticle, read_article


def resolve(corpus_dir: Path | str) -> Gazetteer:
    """The names a draft of ``corpus_dir`` is resolved against (see :mod:`incidentkg.ingest.names`)."""
    return Corpus(corpus_dir).names()


def write_draft(draft: Draft, corpus_dir: Path | str) -> tuple[str, str]:
    """Write ``draft`` into ``corpus_dir``: its stem and ``added``, ``new version`` or ``unchanged``."""
    return Corpus(corpus_dir).add(draft)


__all__ = ["Corpus", "Draft", "IngestReport", "RawArticle", "clean", "extract", "ingest", "read_article",
           "resolve", "write_draft"]
