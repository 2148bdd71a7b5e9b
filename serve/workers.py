"""Queries of ``incidentkg serve`` evaluated in worker processes, so a timed-out query can be stopped.

pyoxigraph cannot stop a query it has started: on a thread, a query past its timeout keeps its
core until it ends (at 1M triples, minutes for a bad join), and the other requests share what is
left. A process can be killed. So each query runs in a worker process; at the timeout the pool
kills that worker (its core is free at once), answers :class:`~incidentkg.exceptions.QueryTimeout`,
and puts a fresh worker in its place.

- **One template process holds the store.** It is forked when the server starts, while the
  server still has one thread, and does nothing but fork workers (and apply updates): a worker
  forked from the threaded server itself could inherit a lock some other thread held. Workers
  share the store's memory with the template copy-on-write: a worker costs no copy of the graph.
- **A bounded queue, not a refusal.** At most ``size`` queries run at once (a few more than the
  cores keep them busy; many more only make every query slower, and let a long one time out
  while it waits for a core); up to ``queued`` more wait, in order, for a worker. Only a request
  that finds the queue full gets :class:`~incidentkg.exceptions.Busy` (503).
- **The timeout counts CPU time.** A query is stopped once its worker has used ``timeout``
  seconds of CPU on it (read from ``/proc``), or after :data:`WALL_FACTOR` times that in wall
  time (a query waiting on something else, such as a ``SERVICE`` call), less the time it was
  runnable but waited for a core (``/proc/PID/schedstat``). Waiting for a core does not count: on a shared machine, or with more queries than cores, a query of 1 s would
  otherwise meet a 5 s wall-clock limit while it waits its turn, and fail for no fault of its own.
- **A long query yields to short ones** (``renice_after``, ``incidentkg serve --renice-after``,
  default :data:`RENICE_AFTER`). Once a query has used ``renice_after`` seconds of CPU (0.2 s:
  four times a lookup at 1M triples, clearly not one), it is *demoted*: every thread of its
  worker gets niceness :data:`RENICE_TO` (that worker only), and the policy ``SCHED_IDLE``
  while a query that is not demoted runs (:meth:`WorkerPool._share_cores`), so the short queries of other
  clients get the cores first, and it **gives up its place**: while it runs, the pool may hold
  one more worker, so a short query that would wait for a worker behind it gets one at once
  (forked then, only when a request waits and every running query is demoted: behind a short
  one the wait is shorter than a fresh worker's cold first query; at most ``size`` extra).
  When the demoted query ends
  its worker is put back at niceness 0, or, when the pool is over its ``size`` (or the niceness
  may not be lowered again, as for a server without ``CAP_SYS_NICE``), killed. Since the
  timeout counts CPU time, a demoted query loses no part of its allowance while it waits, and
  with nothing else to run it has the cores to itself.
  (Renicing after 2 s to niceness 19 was tried while the timeout was wall-clock time: the
  reniced queries then ran into that limit while they waited. After 0.5 s without giving up
  the place it did not measurably help the others during a timed-out query: the 0.5 s of CPU
  took the whole of the probe's first second, and a short query still waited for the worker
  the long one held. benchmarks/README.md, branches serve-stream and x14serve.)
- **Updates** (``--allow-update``) are applied in the template, and every worker is then replaced
  by one forked from the updated store, so each later query sees them. The template cannot be
  killed (it holds the only up-to-date copy): an update past the timeout gets its 503 but runs on.

- **Answers are streamed.** A worker writes the answer into a :class:`_ChannelSink`: an answer up
  to :data:`STREAM_AFTER` bytes is sent whole once it is complete (so that an error while it is
  written, past the row cap or the timeout, still gets its own status), a longer one is sent on
  in pieces of about :data:`CHUNK` bytes as pyoxigraph's serializer writes them, and the server
  forwards each piece to its client while the worker writes the next (:class:`ResultStream`). If
  the query fails after its first piece has gone (the timeout, the row cap, a dead worker), the
  stream raises the error instead of ending, and the server cuts the response short.
- **Or the worker writes them to the client itself.** Once the server has sent the response's
  head, it may hand the client's socket to the worker (:meth:`ResultStream.hand_over`, a file
  descriptor passed over the channel): the worker then writes each piece there as an HTTP chunk,
  and tells the server only how many bytes went (:data:`WROTE`) and how it ended. The server's
  event loop then touches none of the answer's bytes (relayed, a 7 MB answer cost it a read from
  the worker's socket, a copy into h11's chunk and a send: 7.7 ms of the server's CPU against
  4.4 ms handed over, the worker's 1.8 ms more; benchmarks/README.md, branch x14e). The worker closes its
  copy of the socket before it reports the end or an error (a killed worker's closes with it), so
  a connection is never held open by a worker past its answer.

Messages between the processes are pickles of ``(function, args)`` and of ``("ok", value)``,
``("error", exception)`` or ``("stream", media)``; ``function`` is a module-level function called
as ``function(store, *args)`` (in the template) or ``function(store, *args, sink)`` (in a worker).
When ``value`` is a tuple ending in ``bytes`` (a result body), those bytes travel after the
pickle, raw, and are received into one buffer: a 7 MB body then costs about 2 ms instead of 10
through pickle and asyncio streams. The server answers ``("stream", media)`` with one byte:
:data:`RELAY` alone, or :data:`HAND_OVER` with the client's socket attached.
Then come frames, each a :data:`_FRAME` header (:data:`DATA`, :data:`WROTE`, :data:`END` or
:data:`ERROR`, and a size) and that many bytes (a piece of the body, the count of bytes written
to the client as an 8-byte integer, nothing, a pickled exception).

>>> import pyoxigraph as ox
>>> pool = WorkerPool(ox.Store(), size=2)
>>> pool.size, pool.queued, pool.renice_after
(2, 64, 0.2)
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import itertools
import logging
import os
import pickle
import signal
import socket
import struct
import threading
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import NoReturn

from ..exceptions import Busy, IncidentKGError, QueryTimeout, StoreError

_HEADER = struct.Struct("!QQ")  # sizes of the pickled part and of the raw bytes after it
_PID = struct.Struct("!Q")
_SOCKET_BUFFER = 4 << 20  # fewer, larger reads of a big result
_PR_SET_PDEATHSIG = 1
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters
KEEP_FREED = 256 << 20
"""Bytes of freed memory the server and its workers keep for reuse instead of giving them back
to the kernel (glibc's ``M_TRIM_THRESHOLD``); pieces up to 32 MB come from that heap too
(``M_MMAP_THRESHOLD``, glibc's highest). Each piece of a long answer is a fresh buffer of
:data:`CHUNK` bytes several times over (the read from the worker, h11's chunk, the worker's join):
given back and taken again, every one of its pages was zeroed by the kernel on its first touch,
12 % of the server's CPU samples on a 7 MB answer (``perf``; benchmarks/README.md, branch x14d)."""
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
WALL_FACTOR = 3
"""A query also stops after this many times its timeout in wall-clock time."""
CHECK_EVERY = 0.05
"""Seconds between two looks at a running query's CPU time."""
RENICE_AFTER = 0.2
"""CPU seconds after which a query is demoted by default (a lookup takes about 0.05 s at 1M triples)."""
RENICE_TO = 10
"""The niceness of a worker whose query is long: a tenth of the share of a normal process when
they compete for a core, all of it when nothing else runs."""
STREAM_AFTER = 256 << 10
"""Bytes of an answer a worker keeps before it starts to send it on in pieces; an answer up to
this size is sent whole, when it is complete."""
CHUNK = 2 << 20
"""Bytes (about) of each piece of a streamed answer after the first. Each piece costs the server
and the client a fixed share (a frame read, a wake-up, an HTTP chunk): for a 7 MB answer at 1M
triples, pieces of 2 MB took 14.0 + 12.9 ms of CPU in server and client against 17.0 + 17.3 ms
for 256 KB (34.3 + 27.9 for 64 KB), which on a machine without a free core is the overhead
itself (benchmarks/README.md, branch x14b)."""
_FRAME = struct.Struct("!cQ")  # kind of a streamed piece and its size
DATA, WROTE, END, ERROR = b"d", b"w", b"e", b"x"
RELAY, HAND_OVER = b"r", b"h"  # the server's answer to ("stream", media): send me the pieces, or write them yourself
_COUNT = struct.Struct("!Q")  # bytes a worker wrote to the client (a WROTE frame's payload)
_FD = struct.Struct("i")  # a file descriptor in SCM_RIGHTS ancillary data
_IOV_MAX = 1024  # buffers one sendmsg takes on Linux
CLIENT_TIMEOUT = 600.0
"""Seconds a worker waits for a client that takes none of the answer it writes to it before it
gives up (the answer is then cut short); the query's wall-clock limit usually stops it first."""
LOG = logging.getLogger("incidentkg.serve")


# --------------------------------------------------------------------------- framing

def _encode(message) -> list[bytes]:
    """``message`` as the buffers to send: header, pickle, and the raw bytes ending an ``("ok", (..., bytes))``."""
    raw = b""
    if message[0] == "ok" and isinstance(message[1], tuple) and message[1] and isinstance(message[1][-1], bytes):
        message, raw = ("ok", message[1][:-1], True), message[1][-1]
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return [_HEADER.pack(len(payload), len(raw)), payload, raw]


def _decode(payload: bytes, raw: bytes | bytearray):
    message = pickle.loads(payload)
    if len(message) == 3:  # a value whose last item came raw
        return "ok", (*message[1], bytes(raw))
    return message


def _send(channel: socket.socket, message) -> None:
    for buffer in _encode(message):
        channel.sendall(buffer)


def _receive(channel: socket.socket):
    """The next message on ``channel`` (blocking), or ``None`` when the other end has closed."""
    header = _read_exactly(channel, _HEADER.size)
    if header is None:
        return None
    payload_size, raw_size = _HEADER.unpack(header)
    return _decode(_read_exactly(channel, payload_size) or b"", _read_exactly(channel, raw_size) or b"")


def _read_exactly(channel: socket.socket, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = channel.recv(min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _outcome(function, store, args) -> tuple:
    """``("ok", function(store, *args))``, or ``("error", exception)`` (an incidentkg error when the
    exception itself cannot be pickled)."""
    try:
        return ("ok", function(store, *args))
    except Exception as error:  # handed to the server, which answers it
        try:
            pickle.dumps(error)
            return ("error", error)
        except Exception:
            return ("error", IncidentKGError(f"{type(error).__name__}: {error}"))


def _keep_freed_memory() -> None:
    """Let this process (and the ones it forks) reuse freed large buffers: :data:`KEEP_FREED`.
    Nothing happens where the C library is not glibc."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None)
        libc.mallopt(_M_MMAP_THRESHOLD, 32 << 20)
        libc.mallopt(_M_TRIM_THRESHOLD, KEEP_FREED)


def _die_with_parent() -> None:
    """Ask Linux to kill this process when the one that forked it dies (no orphans after a crash)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


# --------------------------------------------------------------------------- the two child processes

def _template_main(store, control: socket.socket) -> NoReturn:
    """The template: forks a worker for each ``"spawn"``, applies each ``("call", ...)`` to its store."""
    _die_with_parent()
    signal.set_wakeup_fd(-1)  # the server's event loop is not this process's
    for number in (signal.SIGINT, signal.SIGTERM):  # not the server's handlers (uvicorn's)
        signal.signal(number, signal.SIG_DFL)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the workers
    status = 0
    try:
        while (message := _receive(control)) is not None:
            kind, payload = message
            if kind == "spawn":
                ours, theirs = socket.socketpair()
                for end in (ours, theirs):
                    end.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, _SOCKET_BUFFER)
                    end.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, _SOCKET_BUFFER)
                pid = os.fork()
                if pid == 0:
                    control.close()
                    ours.close()
                    _worker_main(store, theirs)
                theirs.close()
                socket.send_fds(control, [_PID.pack(pid)], [ours.fileno()])
                ours.close()
            else:
                function, args = payload
                _send(control, _outcome(function, store, args))
    except BaseException:
        status = 1
    os._exit(status)


def _worker_main(store, channel: socket.socket) -> NoReturn:
    """A worker: answers each ``(function, args)`` on ``channel`` until it closes."""
    _die_with_parent()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    status = 0
    try:
        while (message := _receive(channel)) is not None:
            function, args = message
            sink = _ChannelSink(channel)
            sink.finish(_outcome(function, store, (*args, sink)))
    except BaseException:
        status = 1
    os._exit(status)


class _ChannelSink:
    """A worker's :class:`~incidentkg.serve.results.ResultSink`: keeps the answer until it passes
    :data:`STREAM_AFTER` bytes, then sends ``("stream", media)`` on ``channel`` and, once the server
    has answered, pieces of about :data:`CHUNK` bytes: as frames there, or as HTTP chunks on the
    client's socket; :meth:`finish` sends what is left and how the function ended.

    The worker goes on writing while the server's answer is on its way (it checks for it at each
    write, and waits for it only once :data:`CHUNK` bytes are kept): the server takes a moment to
    send the response's head, longer when it waits for a core, and the worker is the answer's
    critical path."""

    def __init__(self, channel: socket.socket):
        self.channel, self.media = channel, None
        self.parts: list[bytes] = []
        self.size, self.streaming = 0, False
        self.decision: bytes | None = None  # RELAY or HAND_OVER, once the server has answered
        self.client: socket.socket | None = None  # the client's connection, when the server handed it over

    def start(self, media: str) -> None:
        self.media = media

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        if self.decision is not None:
            if self.size >= CHUNK:
                self._piece()
        elif self.streaming or self.size >= STREAM_AFTER:
            if not self.streaming:
                _send(self.channel, ("stream", self.media))
                self.streaming = True
            if self._take_decision(wait=self.size >= CHUNK):
                self._piece()  # all that was kept meanwhile
        return len(data)

    def finish(self, outcome: tuple) -> None:
        """Send the end of the answer: the whole of it (or the error) when nothing was sent yet,
        else the last piece and :data:`END`, or :data:`ERROR` and the exception. The client's
        socket, if the worker had it, is closed first."""
        kind, value = outcome
        if not self.streaming:
            _send(self.channel, ("ok", (self.media, self._take())) if kind == "ok" else outcome)
            return
        if self.decision is None:  # read it in any case: it must not be taken for the next request
            self._take_decision(wait=True)
        if kind == "ok" and self.parts:
            try:
                self._piece()
            except IncidentKGError as error:  # the client has gone
                kind, value = "error", error
        if self.client is not None:
            self.client.close()
            self.client = None
        if kind == "ok":
            self._frame(END, b"")
        else:
            self._frame(ERROR, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def _take_decision(self, wait: bool) -> bool:
        """Read the server's answer to ``("stream", media)`` if it has come (or wait for it): the
        client's socket or not. Whether the worker now knows where the pieces go."""
        try:  # recvmsg, not socket.recv_fds: Python 3.11's ignores its flags
            decision, ancillary, _, _ = self.channel.recvmsg(1, socket.CMSG_LEN(_FD.size),
                                                             0 if wait else socket.MSG_DONTWAIT)
        except BlockingIOError:
            return False
        fds = [_FD.unpack(data[:_FD.size])[0] for level, kind, data in ancillary
               if (level, kind) == (socket.SOL_SOCKET, socket.SCM_RIGHTS)]
        if decision == HAND_OVER and fds:
            # non-blocking, as the server's event loop has it: a timeout keeps it so (None would not)
            self.client = socket.socket(fileno=fds[0])
            self.client.settimeout(CLIENT_TIMEOUT)
            # room for a whole long answer, as the channel has: the worker is free for its next
            # query while the client reads, instead of waiting for a slow reader
            self.client.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, _SOCKET_BUFFER)
        elif decision != RELAY:
            raise StoreError(f"the server answered {decision!r} to a streamed answer")
        self.decision = decision
        return True

    def _piece(self) -> None:
        """Send the parts kept: as a frame to the server, or as an HTTP chunk to the client (then
        only their count to the server)."""
        if self.client is None:
            self._frame(DATA, self._take())
            return
        size = self.size
        try:
            _send_buffers(self.client, [b"%x\r\n" % size, *self.parts, b"\r\n"])
        except OSError as error:  # the client left, or took nothing for CLIENT_TIMEOUT
            raise IncidentKGError(f"the client's connection failed after part of the answer: {error}") from None
        self.parts, self.size = [], 0
        self._frame(WROTE, _COUNT.pack(size))

    def _take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts, self.size = [], 0
        return data

    def _frame(self, kind: bytes, data: bytes) -> None:
        self.channel.sendall(_FRAME.pack(kind, len(data)))
        self.channel.sendall(data)


def _send_buffers(connection: socket.socket, buffers: list[bytes]) -> None:
    """Send all of ``buffers`` on ``connection`` in order, gathered by ``sendmsg`` (no joined copy)."""
    views = deque(memoryview(buffer) for buffer in buffers if buffer)
    while views:
        sent = connection.sendmsg(list(itertools.islice(views, _IOV_MAX)))
        while sent and sent >= len(views[0]):
            sent -= len(views.popleft())
        if sent:
            views[0] = views[0][sent:]


# --------------------------------------------------------------------------- the server's side

def _schedstat(pid: int) -> tuple[int, int] | None:
    """Nanoseconds ``pid``'s main thread has run on a core and waited for one (the first two
    fields of ``/proc/PID/schedstat``), or ``None`` where ``/proc`` cannot tell."""
    try:
        with open(f"/proc/{pid}/schedstat", "rb") as schedstat:
            ran, waited = (int(value) for value in schedstat.read().split()[:2])
        return ran, waited
    except (OSError, IndexError, ValueError):
        return None


def _sched(pid: int) -> tuple[int, int, int]:
    """Nanoseconds on a core and waiting for one of ``pid``'s main thread (:func:`_schedstat`),
    and its minor page faults (zeros where ``/proc`` cannot tell)."""
    times = _schedstat(pid)
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            faults = int(stat.read().rsplit(b")", 1)[1].split()[7])
    except (OSError, IndexError, ValueError):
        return 0, 0, 0
    return (*times, faults) if times is not None else (0, 0, 0)


@dataclass(eq=False)
class _Timing:
    """Where one request's time went, for the debug log (``incidentkg serve --log-level debug``):
    its wait for a worker, the worker's CPU on it, its waits for a core, its page faults (a
    worker's first queries copy the store's pages they touch), when it was demoted."""

    arrived: float
    acquired: float = 0.0
    start: tuple[int, int, int] = (0, 0, 0)
    demoted_at: float | None = None

    def begin(self, worker: _Worker, now: float) -> None:
        self.acquired, self.start = now, _sched(worker.pid)

    def line(self, worker: _Worker, now: float) -> str:
        end = _sched(worker.pid)
        if end == (0, 0, 0):  # killed (at the timeout, or its answer not read to its end)
            return (f"request: waited {1000 * (self.acquired - self.arrived):.1f} ms for worker {worker.pid} (query "
                    f"{worker.served + 1} of it), ended in {1000 * (now - self.acquired):.1f} ms, its worker killed")
        ran, waited, faults = (b - a for a, b in zip(self.start, end))
        demoted = "" if self.demoted_at is None else f", demoted at {1000 * (self.demoted_at - self.acquired):.0f} ms"
        return (f"request: waited {1000 * (self.acquired - self.arrived):.1f} ms for worker {worker.pid} (query "
                f"{worker.served + 1} of it), answered in {1000 * (now - self.acquired):.1f} ms: CPU {ran / 1e6:.1f} ms, "
                f"waiting for a core {waited / 1e6:.1f} ms, {faults} page faults{demoted}")


@dataclass(eq=False)
class _Worker:
    pid: int
    channel: socket.socket  # non-blocking, read and written through the event loop
    retired: bool = False  # killed, or forked before an update: replaced after its task
    timed_out: str = ""  # killed by the watch over its query's time: "cpu" or "wall"
    reniced: bool = False  # its niceness is RENICE_TO
    idle: bool = False  # its policy is SCHED_IDLE: demoted while a query that is not demoted runs
    demoted: bool = False  # its query is long: it runs reniced, and does not count against the size
    served: int = 0  # queries answered so far
    timing: _Timing | None = None  # the current request's, when the debug log is on

    def kill(self) -> None:
        self.stop()
        self.channel.close()

    def stop(self) -> None:
        """Kill the process (its end of the channel closes: a pending read sees the end)."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)

    def cpu_seconds(self) -> float | None:
        """CPU time (user + system) the worker has used, or ``None`` where ``/proc`` cannot tell."""
        try:
            with open(f"/proc/{self.pid}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
        except (OSError, IndexError, ValueError):
            return None

    def waited_seconds(self) -> float | None:
        """Time the worker's main thread has spent runnable but waiting for a core (the second
        field of ``/proc/PID/schedstat``), or ``None`` where ``/proc`` cannot tell."""
        times = _schedstat(self.pid)
        return None if times is None else times[1] / 1e9

    def set_niceness(self, niceness: int) -> bool:
        """Give every thread of the worker process ``niceness``; whether that was allowed (with
        0, also the policy ``SCHED_OTHER`` again where it was ``SCHED_IDLE``).

        Linux keeps a niceness and a policy per thread (``setpriority`` on a pid sets only its
        main thread's), so each of ``/proc/PID/task`` is set: a query evaluated on another thread
        yields too.
        """
        if niceness == 0 and self.idle and not self.set_idle(False):
            return False
        try:
            for tid in self._threads():
                with contextlib.suppress(ProcessLookupError):  # a thread that has just ended
                    os.setpriority(os.PRIO_PROCESS, tid, niceness)
        except PermissionError:
            return False
        self.reniced = niceness != 0
        return True

    def set_idle(self, idle: bool) -> bool:
        """Give every thread of the worker the policy ``SCHED_IDLE`` (it runs only on a core no
        other thread wants), or ``SCHED_OTHER`` again (at its niceness); whether that was allowed
        (``SCHED_IDLE`` always is; the way back needs ``CAP_SYS_NICE`` from niceness 10)."""
        policy = getattr(os, "SCHED_IDLE", None) if idle else os.SCHED_OTHER
        if policy is None:
            return False
        try:
            for tid in self._threads():
                with contextlib.suppress(ProcessLookupError):
                    os.sched_setscheduler(tid, policy, os.sched_param(0))
        except OSError:  # not allowed, or a kernel without SCHED_IDLE
            return False
        self.idle = idle
        return True

    def _threads(self) -> list[int]:
        try:
            return [int(tid) for tid in os.listdir(f"/proc/{self.pid}/task")]
        except OSError:
            return [self.pid]

    async def send(self, message) -> None:
        loop = asyncio.get_running_loop()
        for buffer in _encode(message):
            await loop.sock_sendall(self.channel, buffer)

    async def receive(self):
        """The worker's next message (:class:`ConnectionError` if it died)."""
        payload_size, raw_size = _HEADER.unpack(await self.read(_HEADER.size))
        return _decode(await self.read(payload_size), await self.read(raw_size))

    async def frame(self) -> tuple[bytes, bytearray]:
        """The kind and the bytes of the next frame of a streamed answer."""
        kind, size = _FRAME.unpack(await self.read(_FRAME.size))
        return kind, await self.read(size)

    async def read(self, size: int) -> bytearray:
        loop, buffer = asyncio.get_running_loop(), bytearray(size)
        view, got = memoryview(buffer), 0
        while got < size:
            received = await loop.sock_recv_into(self.channel, view[got:])
            if not received:
                raise ConnectionError("the worker closed its end")
            got += received
        return buffer


@dataclass(frozen=True)
class Answer:
    """A worker's answer: its media type, and its ``body`` whole or its pieces in ``stream``."""

    media: str
    body: bytes | bytearray | None = None
    stream: ResultStream | None = None


class ResultStream:
    """The pieces of an answer longer than :data:`STREAM_AFTER`, as the worker sends them, or
    written by the worker to the client's socket (:meth:`hand_over`).

    Iterating yields each piece; it ends after the last one, or raises the query's error
    (:class:`QueryTimeout`, :class:`LimitExceeded`, :class:`StoreError` when the worker died,
    ...) if it failed after its first piece. :meth:`close` gives the worker back, or kills it
    when the answer was not read to its end; call it in any case (``async with``).
    """

    def __init__(self, pool: WorkerPool, worker: _Worker, watch: asyncio.Task, timeout: float | None):
        self.pool, self.worker, self.watch, self.timeout = pool, worker, watch, timeout
        self.sent, self.ended, self.asked = 0, False, False

    def __aiter__(self) -> AsyncIterator[bytearray]:
        return self

    async def __anext__(self) -> bytearray:
        if not self.asked:
            self._ask(RELAY)
        while (frame := await self._frame()) is not None:
            kind, data = frame
            if kind == DATA:
                return data
        raise StopAsyncIteration

    async def hand_over(self, connection: int) -> None:
        """Have the worker write the answer to the socket ``connection`` (a file descriptor on
        which the response's head has gone, chunked) as HTTP chunks, without the closing
        empty chunk; return once it has, or raise the query's error as iterating does."""
        self._ask(HAND_OVER, connection)
        while await self._frame() is not None:
            pass
        LOG.debug("answer of %d bytes written to the client by its worker", self.sent)

    def _ask(self, decision: bytes, connection: int | None = None) -> None:
        """Answer the worker's ``("stream", media)``: :data:`RELAY`, or :data:`HAND_OVER` and the
        socket ``connection``. Nothing else is on the channel then, so the send cannot block."""
        self.asked = True
        with contextlib.suppress(OSError):  # the worker is gone: reading its next frame says why
            if connection is None:
                self.worker.channel.send(decision)
            else:
                socket.send_fds(self.worker.channel, [decision], [connection])

    async def _frame(self) -> tuple[bytes, bytearray] | None:
        """The next :data:`DATA` or :data:`WROTE` frame (the count of the latter added to
        :attr:`sent`), ``None`` after the answer's end, or the query's error raised."""
        if self.ended:
            return None
        try:
            kind, data = await self.worker.frame()
        except ConnectionError:
            error = self.pool.lost(self.worker, self.timeout)
            self.close()
            raise error from None
        except BaseException:  # cancelled: the answer is not wanted any more
            self.close()
            raise
        if kind in (DATA, WROTE):
            self.sent += len(data) if kind == DATA else _COUNT.unpack(data)[0]
            return kind, data
        self.ended = True  # the worker is waiting for its next message: it can serve again
        self.close()
        if kind == ERROR:
            raise pickle.loads(data)
        return None

    async def __aenter__(self) -> ResultStream:
        return self

    async def __aexit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        """Give the worker back (killed and replaced unless the answer was read to its end)."""
        if self.worker is None:
            return
        self.watch.cancel()
        if not self.ended:
            self.worker.retired = True
        self.pool.release(self.worker)
        self.worker = None


@dataclass(eq=False)
class WorkerPool:
    """``size`` worker processes forked from a template that holds ``store``; see the module.

    Call :meth:`start` while the process has one thread (the server's start-up), then
    :meth:`open` on the event loop; :meth:`answer` runs a function in a worker; :meth:`close`
    ends all. ``renice_after``: CPU seconds of a query after which it is demoted (its worker's
    niceness raised to :data:`RENICE_TO`, and its place given up; 0: never).
    """

    store: object
    size: int = 4
    queued: int = 64
    renice_after: float = RENICE_AFTER
    _control: socket.socket | None = field(default=None, repr=False)
    _template: int = 0
    _control_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _idle: deque = field(default_factory=deque, repr=False)
    _waiters: deque = field(default_factory=deque, repr=False)
    _busy: set = field(default_factory=set, repr=False)
    _spawning: set = field(default_factory=set, repr=False)
    _count: int = field(default=0, repr=False)  # workers alive or being forked
    _demoted: int = field(default=0, repr=False)  # busy workers whose query is demoted

    def start(self) -> None:
        """Fork the template process (before any other thread exists)."""
        _keep_freed_memory()
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            ours.close()
            _template_main(self.store, theirs)
        theirs.close()
        self._control, self._template = ours, pid

    async def open(self) -> None:
        """Fork the ``size`` workers."""
        self._count += self.size
        for worker in await asyncio.gather(*(self._spawn() for _ in range(self.size))):
            self._hand(worker)

    async def close(self) -> None:
        """Kill every worker and the template."""
        for task in list(self._spawning):
            task.cancel()
        for worker in [*self._idle, *self._busy]:
            worker.kill()
        self._idle.clear()
        if self._control is not None:
            self._control.close()  # the template sees the end and exits
            with contextlib.suppress(ChildProcessError):
                await asyncio.to_thread(os.waitpid, self._template, 0)
            self._control = None

    async def answer(self, timeout: float | None, function, *args) -> Answer:
        """The answer ``function(store, *args, sink)`` writes into its sink in a worker (a
        :class:`~incidentkg.serve.results.ResultSink`), or its exception raised here.

        The answer is whole (:attr:`Answer.body`) up to :data:`STREAM_AFTER` bytes, else a
        :class:`ResultStream` that holds the worker until it is closed. Raises :class:`Busy` when
        ``queued`` requests already wait, :class:`QueryTimeout` after ``timeout`` seconds of CPU
        (the worker is killed), :class:`StoreError` if the worker died, before the answer's start.
        """
        loop = asyncio.get_running_loop()
        timing = _Timing(loop.time()) if LOG.isEnabledFor(logging.DEBUG) else None
        worker = await self._acquire()
        if timing is not None:
            timing.begin(worker, loop.time())
            worker.timing = timing
        watch = loop.create_task(self._watch(worker, timeout))
        streamed = False
        try:
            await worker.send((function, args))
            kind, value = await worker.receive()
            if kind == "stream":
                streamed = True
                return Answer(value, stream=ResultStream(self, worker, watch, timeout))
        except ConnectionError:
            raise self.lost(worker, timeout) from None
        except BaseException:  # the request was cancelled: its answer is not wanted any more
            worker.retired = True
            raise
        finally:
            if not streamed:
                watch.cancel()
                self.release(worker)
        if kind == "error":
            raise value
        return Answer(*value)

    @staticmethod
    def lost(worker: _Worker, timeout: float | None) -> IncidentKGError:
        """The error of a query whose worker closed its channel: killed at the timeout, or dead."""
        worker.retired = True
        if worker.timed_out == "wall":
            return QueryTimeout(f"query stopped after {WALL_FACTOR * timeout:g} s of wall-clock time, not counting "
                                f"waits for a core ({WALL_FACTOR} times the --timeout); narrow it down or raise the limit")
        if worker.timed_out:
            return QueryTimeout(f"query stopped after {timeout:g} s of CPU (the --timeout); narrow it down or "
                                "raise the limit")
        return StoreError(f"the query's worker process (pid {worker.pid}) died; the query may have "
                          "exhausted memory")

    async def _watch(self, worker: _Worker, timeout: float | None) -> None:
        """Watch ``worker``'s query (until cancelled): demote it once it has used
        :attr:`renice_after` s of CPU (:meth:`_demote`); kill it once it has used ``timeout`` s of
        CPU, or after :data:`WALL_FACTOR` times that in wall-clock time, not counting the time it
        waited for a core (so that a demoted query on a busy machine is not killed for waiting;
        ``timeout`` of wall-clock time alone where ``/proc`` cannot tell)."""
        if not timeout and not self.renice_after:
            return
        loop = asyncio.get_running_loop()
        started, used, waited = loop.time(), worker.cpu_seconds(), worker.waited_seconds()
        wall_limit = (timeout or 0) * (WALL_FACTOR if used is not None else 1)
        while True:
            await asyncio.sleep(CHECK_EVERY)
            now, waited_now = worker.cpu_seconds(), worker.waited_seconds()
            spent = None if now is None or used is None else now - used
            wall = loop.time() - started - (0 if waited is None or waited_now is None else waited_now - waited)
            if self.renice_after and not worker.demoted and spent is not None and spent > self.renice_after:
                self._demote(worker)
            if timeout and (wall > wall_limit or (spent is not None and spent > timeout)):
                worker.timed_out = "cpu" if spent is None or spent > timeout else "wall"
                worker.stop()
                return

    async def update(self, function, *args):
        """``function(store, *args)`` in the template, whose store later workers are forked from;
        every worker is replaced so that each later call sees the change."""
        kind, value = await asyncio.to_thread(self._ask_template, ("call", (function, args)))
        for worker in self._busy:
            worker.retired = True
        while self._idle:
            worker = self._idle.popleft()
            worker.retired = True
            self.release(worker)
        if kind == "error":
            raise value
        return value

    # ------------------------------------------------------------------ internals

    def _ask_template(self, message):
        """Send ``message`` to the template and return its answer (blocking, one at a time)."""
        with self._control_lock:
            if self._control is None:
                raise StoreError("the query pool is closed")
            _send(self._control, message)
            if message[0] == "spawn":
                data, fds, _, _ = socket.recv_fds(self._control, _PID.size, 1)
                if not fds:
                    raise StoreError("the template process of the query workers has ended")
                return _PID.unpack(data)[0], fds[0]
            answer = _receive(self._control)
            if answer is None:
                raise StoreError("the template process of the query workers has ended")
            return answer

    async def _spawn(self) -> _Worker:
        started = asyncio.get_running_loop().time()
        pid, fd = await asyncio.to_thread(self._ask_template, ("spawn", None))
        channel = socket.socket(fileno=fd)
        channel.setblocking(False)
        LOG.debug("forked worker %d in %.1f ms (%d workers, %d requests waiting)", pid,
                  1000 * (asyncio.get_running_loop().time() - started), self._count, len(self._waiters))
        return _Worker(pid, channel)

    async def _acquire(self) -> _Worker:
        if self._idle:
            worker = self._idle.pop()
        else:
            if len(self._waiters) >= self.queued:
                raise Busy(f"{self.size} queries running and {self.queued} waiting (the server's --workers "
                           "and --queue); try again later")
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            self._grow()  # a demoted query may have left room for one more worker
            try:
                worker = await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._hand(waiter.result())
                else:
                    self._waiters.remove(waiter)
                raise
        self._busy.add(worker)
        self._share_cores()
        return worker

    def _capacity(self) -> int:
        """How many workers the pool may hold now: ``size``, and one more for each demoted query
        (at most ``size`` more), so that a long query does not keep a short one waiting."""
        return self.size + min(self._demoted, self.size)

    def _demote(self, worker: _Worker) -> None:
        """Make ``worker``'s long query yield: niceness :data:`RENICE_TO` for its process, and
        its place in the pool given up (a request waiting for a worker gets a fresh one)."""
        worker.demoted = True
        if worker.timing is not None:
            worker.timing.demoted_at = asyncio.get_running_loop().time()
        if worker.set_niceness(RENICE_TO):
            self._demoted += 1
            self._share_cores()
            self._grow()

    def _share_cores(self) -> None:
        """``SCHED_IDLE`` for every demoted query while a query that is not demoted runs, so that
        it takes no share of a core the short one wants (at niceness 10 it still takes about a
        tenth: on two cores, tens of milliseconds of a lookup's wait); ``SCHED_OTHER`` at niceness
        :data:`RENICE_TO` again while none runs, so that it is not starved by other programs on
        the machine (benchmarks/README.md, branch x14d)."""
        if not self._demoted:
            return
        short = any(not worker.demoted for worker in self._busy)
        for worker in self._busy:
            if worker.demoted and worker.reniced and worker.idle != short:
                worker.set_idle(short)

    def release(self, worker: _Worker) -> None:
        """Put ``worker`` back (its niceness set back to 0 if it was demoted), or kill it: if it is
        retired, where its niceness cannot be set back, or when the pool holds more workers than
        it may now and no request waits; fork a fresh one when the pool is then under its ``size``."""
        self._busy.discard(worker)
        self._share_cores()
        if worker.timing is not None:
            LOG.debug(worker.timing.line(worker, asyncio.get_running_loop().time()))
            worker.timing = None
        worker.served += 1
        if worker.demoted:
            worker.demoted = False
            if worker.reniced:
                self._demoted -= 1
                if not worker.retired and not worker.set_niceness(0):
                    worker.retired = True
        if not worker.retired and (self._count <= self._capacity() or any(not w.done() for w in self._waiters)):
            self._hand(worker)
            return
        worker.kill()
        self._count -= 1
        self._grow()

    def _grow(self) -> None:
        """Fork workers until the pool holds ``size``, and more (up to :meth:`_capacity`) while
        requests wait that no worker being forked will serve, and every running query is demoted.

        While a query that is not demoted runs, a waiting request gets its worker when it ends
        (soon: past :attr:`renice_after` it would be demoted, and this is asked again). Waiting for
        it is shorter than a fresh worker: a fork's first queries copy the store's pages they touch
        (a lookup at 1M triples: about 13,000 page faults, 0.1 to 0.7 s of CPU instead of 0.05 to
        0.1 s; benchmarks/README.md, branch x14b)."""
        while self._count < self.size or (len(self._waiters) > len(self._spawning)
                                          and self._count < self._capacity()
                                          and all(worker.demoted for worker in self._busy)):
            self._count += 1
            task = asyncio.get_running_loop().create_task(self._spawn())
            self._spawning.add(task)
            task.add_done_callback(self._spawned)

    def _spawned(self, task: asyncio.Task) -> None:
        self._spawning.discard(task)
        if task.cancelled() or task.exception() is not None:
            self._count -= 1
        if task.cancelled():
            return
        if task.exception() is not None:  # the template is gone: nothing left to serve from
            while self._waiters:
                waiter = self._waiters.popleft()
                if not waiter.done():
                    waiter.set_exception(StoreError(f"cannot start a query worker: {task.exception()}"))
            return
        self._hand(task.result())

    def _hand(self, worker: _Worker) -> None:
        """Give ``worker`` to the longest-waiting request, or make it idle."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._idle.append(worker)
