"""The one exception hierarchy of incidentkg (networkx's ``exception.py`` is the model).

Every error a user can cause is an :class:`IncidentKGError`; its message names the offending
value (a file and line, a query, a name). The CLI maps the classes to exit codes and the server
to HTTP statuses, each in one table (``incidentkg.cli.EXIT_CODES``, the server's ``STATUS``),
looked up along the class's MRO, so a new subclass inherits its parent's code.

>>> try:
...     raise EntityNotFound("no entity named 'Sandwrm'; closest: Sandworm")
... except IncidentKGError as error:
...     print(type(error).__mro__[1].__name__, "-", error)
NotFound - no entity named 'Sandwrm'; closest: Sandworm
"""

from __future__ import annotations


class IncidentKGError(Exception):
    """Base class of every error incidentkg raises on purpose."""


# --------------------------------------------------------------------------- bad input

class InputError(IncidentKGError):
    """An input file (article, annotation, query file) that cannot be read as it is."""


class AnnotationError(InputError):
    """Annotations that cannot be loaded; ``problems`` says where and why, one line each.

    ``problems`` holds objects whose ``str`` is ``FILE:LINE: message``.
    """

    def __init__(self, problems: list):
        self.problems = sorted(problems)
        super().__init__("\n".join(map(str, self.problems)))


class DateError(InputError, ValueError):
    """A date or a relative expression that cannot be read."""


# --------------------------------------------------------------------------- bad requests

class UsageError(IncidentKGError):
    """A call that is wrong in itself: a bad option value, a malformed parameter."""


class QueryError(UsageError, ValueError):
    """A query that cannot be parsed or run, or a saved query that does not exist."""


class QueryRefused(QueryError):
    """A query that is refused before it runs: too deeply nested, or a ``SERVICE`` call
    to another endpoint from a tool meant for air-gapped machines."""


class NotFound(UsageError, LookupError):
    """Something named that does not exist: a saved query, a view, an export format."""


class EntityNotFound(NotFound):
    """A name that matches no entity of the graph, or several; the message lists the closest."""


class Forbidden(UsageError):
    """A request the server does not allow: an update on a read-only endpoint, a missing token."""


class Unauthorized(Forbidden):
    """A request to a server bound beyond loopback without the bearer token it requires."""


class NotAcceptable(UsageError):
    """A request for a result in a media type the server cannot write."""


class LimitExceeded(UsageError):
    """A request past a limit: a body, a file or a YAML document larger than allowed, a result
    with more rows than a server answers."""


# --------------------------------------------------------------------------- faults

class QueryTimeout(IncidentKGError):
    """A query that ran past its time limit and was stopped."""


class Busy(IncidentKGError):
    """A server with every query worker busy and its queue of waiting requests full."""


class StoreError(IncidentKGError):
    """A store or data folder that cannot be read as a complete build, or written."""


class BuildError(IncidentKGError):
    """A build that cannot complete: an output folder it may not replace, another build writing
    it, a graph that breaks the shapes (a bug in the mapping or in the shapes)."""


class OutputError(BuildError):
    """An output that cannot be written (a read-only or full disk, a folder where a file should
    be); what was there before is left as it was. ``reason`` says why, without the path."""

    def __init__(self, message: str, reason: str = ""):
        super().__init__(message)
        self.reason = reason or message


class ShapesError(IncidentKGError, ValueError):
    """A shapes graph that uses SHACL beyond what ``ontology.shacl.validate`` implements."""


class EndpointError(IncidentKGError):
    """A remote SPARQL endpoint or graph store that refused a request or could not be reached."""
