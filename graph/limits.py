"""The limits every query runs under, the same in ``incidentkg query``/``graph`` and in the server.

- **Nesting**: Oxigraph's parser recurses once per bracket and crashes the process (a segfault,
  no exception) at a few thousand nested ``(``, ``{`` or ``[``; :func:`check_query` refuses a
  query nested deeper than :data:`MAX_NESTING` before it reaches the engine.
- **SERVICE**: a federated ``SERVICE`` call makes the engine send HTTP requests to any host the
  query names, from a tool meant for air-gapped machines; refused unless allowed.
- **Time**: :func:`run_with_timeout` gives up on a call after ``timeout`` seconds with
  :class:`~incidentkg.exceptions.QueryTimeout` (the command line; the server kills its worker
  processes instead, :mod:`incidentkg.serve.workers`).
- **Query files**: :func:`read_query_file` reads a ``.rq`` file or says in one line why not.

>>> check_query("SELECT * WHERE { ?s ?p ?o }")
'SELECT * WHERE { ?s ?p ?o }'
>>> check_query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
incidentkg.exceptions.QueryRefused: SERVICE <http://example.org/sparql> is refused: the query would send requests to another endpoint (allow it with --allow-service)
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ..exceptions import InputError, QueryRefused, QueryTimeout

MAX_NESTING = 100
"""Deepest bracket nesting a query may have (Oxigraph crashes at about 3,000; real queries stay
under 10)."""

DEFAULT_TIMEOUT = 30.0
"""Seconds a query may run, by default."""

# What the nesting count and the SERVICE search must step over: strings (long and short forms),
# IRIs and comments, in which brackets and the word SERVICE mean nothing.
_TOKENS = re.compile(r'''
    (?P<skip> """(?:[^"\\]|\\.|"(?!""))*"""
            | \'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
            | "(?:[^"\\\n]|\\.)*"
            | '(?:[^'\\\n]|\\.)*'
            | <[^<>"{}|^`\\\x00-\x20]*>
            | \#[^\n]* )
  | (?P<open>[({\[]) | (?P<close>[)}\]])
  | (?<![\w:?$])(?P<service>SERVICE)(?![\w:-])\s*(?:SILENT\s*)?(?P<target>\S{0,80})
''', re.VERBOSE | re.IGNORECASE)


def check_query(query: str, allow_service: bool = False, max_nesting: int = MAX_NESTING) -> str:
    """``query`` itself if it may run; :class:`~incidentkg.exceptions.QueryRefused` if not.

    Parameters
    ----------
    query : str
        SPARQL query (or update) text.
    allow_service : bool
        Let ``SERVICE`` calls to other endpoints through.
    max_nesting : int
        Deepest nesting of brackets allowed.

    Raises
    ------
    QueryRefused
        For brackets nested deeper than ``max_nesting``, or a ``SERVICE`` call not allowed.

    >>> check_query("ASK {" + "(" * 500 + ")" * 500 + "}")
    Traceback (most recent call last):
    ...
    incidentkg.exceptions.QueryRefused: query nested 501 brackets deep at character 105; at most 100 are allowed
    """
    depth = 0
    for token in _TOKENS.finditer(query):
        if token["open"]:
            depth += 1
            if depth > max_nesting:
                raise QueryRefused(f"query nested {_deepest(query)} brackets deep at character {token.end()}; "
                                   f"at most {max_nesting} are allowed")
        elif token["close"]:
            depth = max(0, depth - 1)
        elif token["service"] and not allow_service:
            raise QueryRefused(f"SERVICE {token['target']} is refused: the query would send requests "
                               "to another endpoint (allow it with --allow-service)")
    return query


def _deepest(query: str) -> int:
    """How deep the brackets of ``query`` go, for the message (strings are not stepped over)."""
    depth = deepest = 0
    for char in query:
        depth += 1 if char in "({[" else -1 if char in ")}]" else 0
        deepest = max(deepest, depth)
    return deepest


Result = TypeVar("Result")


def run_with_timeout(function: Callable[..., Result], timeout: float | None, *args, **kwargs) -> Result:
    """``function(*args, **kwargs)``, or :class:`~incidentkg.exceptions.QueryTimeout` after ``timeout`` s.

    The call runs on a daemon thread; when it runs past ``timeout`` the caller gets the error at
    once and the thread is left to finish on its own: pyoxigraph cannot stop a query it has
    started, and a CLI process simply exits (the server runs queries in worker processes it can
    kill instead: ``serve/workers.py``). ``None`` or ``0`` means no time limit.
    Exceptions of the call are raised in the caller.

    >>> run_with_timeout(sum, 5, [1, 2, 3])
    6
    >>> import time
    >>> run_with_timeout(time.sleep, 0.01, 1)
    Traceback (most recent call last):
    ...
    incidentkg.exceptions.QueryTimeout: query stopped after 0.01 s (the --timeout); narrow it down or raise the limit
    """
    outcome: dict[str, object] = {}

    def call() -> None:
        try:
            outcome["value"] = function(*args, **kwargs)
        except BaseException as error:  # handed to the caller, who raises it
            outcome["error"] = error

    if not timeout:
        call()
        return _outcome(outcome)

    worker = threading.Thread(target=call, name="incidentkg-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise QueryTimeout(f"query stopped after {timeout:g} s (the --timeout); narrow it down or raise the limit")
    return _outcome(outcome)


def _outcome(outcome: dict):
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def read_query_file(path: Path | str) -> str:
    """The text of the ``.rq`` file ``path``; :class:`~incidentkg.exceptions.InputError` in one line if
    it is missing, a folder, unreadable or not UTF-8."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such query file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a query file")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})") from None
