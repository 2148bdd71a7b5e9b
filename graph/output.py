"""The folder a build writes: refused unless it is ours, switched in one atomic step.

``OUT`` (``incidentkg-out/`` by default) is a symbolic link to a complete build kept in the
hidden sibling folder ``.OUT.builds/``. A build writes a new folder there, writes the marker
:data:`MARKER` last, and switches the link with one ``rename``: at every instant ``OUT`` is the
old complete build or the new one, and a reader never finds it missing. A killed build leaves
at worst an unfinished folder in ``.OUT.builds/``, which the next build deletes.

``OUT`` may only be absent, an empty folder, or a folder incidentkg wrote (it holds the marker,
or ``store/COMPLETE.json`` for the plain folders that builds wrote before the link). Anything
else is refused: a build never deletes what it did not write. One build at a time may write an
``OUT`` (a lock in ``.OUT.builds/``).

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
>>> with replacing(out) as folder:
...     _ = (folder / "graph.nt").write_text("")
>>> sorted(path.name for path in current_build(out).iterdir())
['graph.nt', 'incidentkg-build.json']
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from ..exceptions import BuildError, OutputError, StoreError

MARKER = "incidentkg-build.json"
"""Written last into every build folder: a folder without it is not a complete build."""
LEGACY_MARKER = Path("store") / "COMPLETE.json"
"""What marks the plain folders written by builds before ``OUT`` became a link."""
LOCK = "lock"


def builds_dir(out: Path | str) -> Path:
    """The hidden sibling folder that holds the builds ``out`` links to."""
    out = Path(os.path.abspath(out))
    return out.with_name(f".{out.name}.builds")


def is_build(folder: Path) -> bool:
    """True when ``folder`` is a complete folder written by incidentkg."""
    return (folder / MARKER).is_file() or (folder / LEGACY_MARKER).is_file()


def _is_our_link(out: Path) -> bool:
    return out.is_symlink() and Path(os.readlink(out)).parent.name == builds_dir(out).name


def _complete_builds(out: Path) -> list[Path]:
    """The complete builds kept for ``out``, oldest first (names start with a nanosecond clock)."""
    folder = builds_dir(out)
    if not folder.is_dir():
        return []
    found = [path for path in folder.iterdir()
             if path.is_dir() and not path.is_symlink() and is_build(path)]
    return sorted(found, key=lambda path: int(path.name.split("-")[0]))


def current_build(out: Path | str) -> Path:
    """The folder of the complete build ``out`` names, with any link resolved.

    Resolving once lets a reader keep reading one build while a new one is switched in. If
    ``out`` is missing while a complete build is kept (a build killed while it moved a folder of
    an older layout aside), that build is read.

    Raises
    ------
    StoreError
        When ``out`` holds no build.
    """
    out = Path(os.path.abspath(out))
    if out.exists():
        return out.resolve()
    kept = _complete_builds(out)
    if kept:
        return kept[-1]
    raise StoreError(f"{out}: no build there; run 'incidentkg build --out {out}' first")


def check_replaceable(out: Path | str) -> None:
    """Refuse an ``out`` that a build may not replace: one that is not absent, empty or ours.

    Raises
    ------
    BuildError
        Naming what ``out`` is and why it stays untouched.
    """
    out = Path(os.path.abspath(out))
    if _is_our_link(out) or not os.path.lexists(out):
        return
    if out.is_symlink():
        raise BuildError(f"{out}: a link to {os.readlink(out)} that incidentkg did not make; "
                         "remove it or choose another --out")
    if not out.is_dir():
        raise BuildError(f"{out}: not a folder; choose another --out (a new or empty folder)")
    if is_build(out):
        return
    entries = sorted(path.name for path in out.iterdir())
    if entries:
        shown = ", ".join(entries[:3]) + (", ..." if len(entries) > 3 else "")
        raise BuildError(f"{out}: a folder incidentkg did not write (it holds {shown}); "
                         "it is left as it is: choose a new or empty folder for --out")


@contextmanager
def replacing(out: Path | str) -> Iterator[Path]:
    """Give an empty folder to write a build into; on success, switch ``out`` to it.

    On entry: refuse an ``out`` that may not be replaced, take the lock, bring back ``out`` if a
    killed build left it missing, and delete the folders that killed builds left. On success the
    marker is written and ``out`` switched; on any error the new folder is deleted and ``out``
    stays as it was.

    Raises
    ------
    BuildError
        When ``out`` may not be replaced, another build is writing it, or it cannot be written
        (a read-only or full disk).
    """
    out = Path(os.path.abspath(out))
    check_replaceable(out)
    folder = builds_dir(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = (folder / LOCK).open("a")
    except OSError as error:
        raise _write_error(out, error) from None
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"{out}: another incidentkg build is writing it; try again when it ends") from None
        try:
            _recover(out)
            _clean(out)
            staging = folder / f"{time.time_ns()}-{os.getpid()}"
            staging.mkdir()
        except OSError as error:
            raise _write_error(out, error) from None
        try:
            yield staging
            (staging / MARKER).write_text(json.dumps({"incidentkg": "build"}) + "\n", encoding="utf-8")
            _switch(out, staging)
        except (OSError, OutputError) as error:
            shutil.rmtree(staging, ignore_errors=True)
            raise _write_error(out, error) from None
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        with suppress(OSError):  # the build is in: what is left over, the next build deletes
            _clean(out)


def _write_error(out: Path, error: OSError | OutputError) -> OutputError:
    reason = error.reason if isinstance(error, OutputError) else error.strerror or str(error)
    return OutputError(f"{out}: cannot write the build ({reason}); the previous build is unchanged", reason)


def write_atomically(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file renamed over it, creating the folder:
    ``path`` is the old file or the new one, never a part of it.

    Raises
    ------
    OutputError
        When the file cannot be written (``path`` is then as it was).
    """
    path = Path(path)
    staged = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        staged.write_bytes(data)
        os.replace(staged, path)
    except OSError as error:
        with suppress(OSError):
            staged.unlink(missing_ok=True)
        reason = error.strerror or str(error)
        raise OutputError(f"{path}: cannot write it ({reason})", reason) from None
    return path


def _recover(out: Path) -> None:
    """Point ``out`` back at the newest complete build if a killed build left it missing."""
    kept = _complete_builds(out)
    if kept and not out.exists() and (_is_our_link(out) or not os.path.lexists(out)):
        _link(out, kept[-1])


def _clean(out: Path) -> None:
    """Delete what ``out`` no longer links to: older builds and the leftovers of killed builds."""
    current = out.resolve() if out.exists() else None
    for path in builds_dir(out).iterdir():
        if path.name != LOCK and path.resolve() != current:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def _switch(out: Path, staging: Path) -> None:
    """Make ``out`` the build in ``staging``: one atomic rename of a link."""
    if os.path.lexists(out) and not out.is_symlink():
        if is_build(out):  # a plain folder of an older layout: kept aside until the link is in
            out.rename(builds_dir(out) / f"{time.time_ns()}-previous")
        else:  # empty, as check_replaceable made sure
            out.rmdir()
    _link(out, staging)


def _link(out: Path, target: Path) -> None:
    """Point ``out`` at ``target`` (a folder of ``builds_dir(out)``) by renaming a new link over it."""
    staged_link = builds_dir(out) / f"link-{os.getpid()}"
    staged_link.unlink(missing_ok=True)
    staged_link.symlink_to(Path(target.parent.name) / target.name)  # relative: the pair may move
    os.replace(staged_link, out)
