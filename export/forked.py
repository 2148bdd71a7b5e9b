"""Independent pieces of one export made side by side in forked processes, joined in order.

An export whose output is a sequence of independent parts (MISP events, JSON-LD node objects)
cuts the sequence into a few contiguous chunks, makes the first chunk here and the others in
processes forked from this one, and joins the results in chunk order. A forked process sees
the graph as it was read, so nothing but the finished bytes travels back, and the output does
not depend on how many processes made it: the chunks are cut from the same sorted sequence and
joined in the same order.

>>> forked_map(lambda chunk: sum(chunk), [[1, 2], [3], [4, 5]])
[3, 3, 9]
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

_pending: tuple[Callable, Sequence] | None = None  # (work, chunks) of the forked_map under way


def worker_count(total_weight: int, parallel_from: int) -> int:
    """How many processes to make parts of ``total_weight`` in: every core this process may
    run on from ``parallel_from`` on (each caller's threshold, in its own unit: claims, lines),
    one below it, and one where processes cannot fork. Below the threshold, forking and sending
    the bytes back cost more than they save.

    >>> worker_count(10, parallel_from=1000)
    1
    """
    if total_weight < parallel_from or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def balanced_chunks(items: Sequence[T], weights: Sequence[int], parts: int) -> list[Sequence[T]]:
    """``items`` cut, in order, into at most ``parts`` contiguous chunks of about equal total
    ``weights`` (one weight per item); no chunk is empty.

    >>> balanced_chunks("abcdef", [5, 1, 1, 1, 1, 1], 2)
    ['a', 'bcdef']
    >>> balanced_chunks("ab", [1, 1], 4)
    ['a', 'b']
    """
    total = sum(weights)
    chunks, start, done = [], 0, 0
    for index, weight in enumerate(weights):
        done += weight
        # Close a chunk once it reaches its share of the total (the last takes what is left).
        if len(chunks) < parts - 1 and done * parts >= total * (len(chunks) + 1):
            chunks.append(items[start:index + 1])
            start = index + 1
    if start < len(items):
        chunks.append(items[start:])
    return chunks


def _start_worker() -> None:
    # A worker prints nothing, and must not flush the parent's stdio at exit: another thread of
    # the parent (the build's progress bar) may have held its lock at the fork.
    sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")


def _run_chunk(index: int):
    work, chunks = _pending
    return work(chunks[index])


def forked_map(work: Callable[[T], R], chunks: Sequence[T]) -> list[R]:
    """``[work(chunk) for chunk in chunks]``: the first chunk made in this process, each other
    one in a process forked from it (so ``work`` may be a closure over the graph read; only its
    results are pickled back). One chunk, or a platform that cannot fork: all made here.

    Raises whatever ``work`` raised, and ``BrokenProcessPool`` if a worker died (the OOM killer).
    """
    global _pending
    if len(chunks) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [work(chunk) for chunk in chunks]
    _pending = (work, chunks)
    try:
        # concurrent.futures, not multiprocessing.Pool: a dead worker fails the export where
        # Pool would wait for its result for ever.
        with ProcessPoolExecutor(len(chunks) - 1, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_start_worker) as pool:
            others = [pool.submit(_run_chunk, index) for index in range(1, len(chunks))]
            first = work(chunks[0])
            return [first, *(future.result() for future in others)]
    finally:
        _pending = None
