"""Run a few tasks at once in forked processes, each result sent back through a pipe.

Used where a large catalog makes one CPU the bottleneck: parsing its YAML files and
rendering its pages. On Linux the children are forked, so each inherits what the parent
has loaded as it is, with nothing pickled on the way in; only results travel back. Work
that divides unevenly is cut into numbered pieces handed out by `Tickets`, a pipe filled
before the fork: whichever process is free takes the next number. There is no helper thread
and no lock, nothing that can hang when a child fails, and each child leaves with os._exit
once its result is written.

Forking is not safe in a process running other threads (`serve`), and there is no fork
on some platforms: callers then do the work in this process (see `fork_possible`).
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import struct
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar, cast

T = TypeVar("T")


class ChildFailed(Exception):
    """A child process ended without sending its result (it crashed or was killed)."""


def available_cpus() -> int:
    counter = getattr(os, "process_cpu_count", None)  # Python 3.13+: honours the CPU affinity
    if counter is not None:
        return int(counter() or 1)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def fork_possible() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


class Tickets:
    """The numbers 0 to count - 1, each handed out once, to whichever process (of those
    forked after it was made) asks first: a process that finishes its pieces early takes more.

    The numbers are written into a pipe before any process reads, in one write that an empty
    pipe always takes whole (at most POSIX's PIPE_BUF, 512 bytes), and the write end is
    closed, so a read never waits: it gets a number, or nothing once all are taken. Every read
    asks for one record, and a pipe hands out its bytes in order under a lock, so no two
    processes get parts of the same record."""

    RECORD = struct.Struct("<H")
    MOST = 512 // RECORD.size

    def __init__(self, count: int) -> None:
        if not 0 <= count <= self.MOST:
            raise ValueError(f"between 0 and {self.MOST} tickets, not {count}")
        self._read, write_end = os.pipe()
        try:
            os.write(write_end, b"".join(self.RECORD.pack(n) for n in range(count)))
        finally:
            os.close(write_end)

    def __iter__(self) -> Iterator[int]:
        while record := os.read(self._read, self.RECORD.size):
            yield self.RECORD.unpack(record)[0]

    def close(self) -> None:
        os.close(self._read)

    def __enter__(self) -> Tickets:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_forked(tasks: Sequence[Callable[[], T]]) -> list[T]:
    """The results of `tasks`, in order: the first runs here, the others in forked children,
    all at the same time. A task's exception is raised here after every child has ended;
    a child that ends without a result raises ChildFailed."""
    if not tasks:
        return []
    gc.freeze()  # keep the inherited heap out of the children's collections: no copy-on-write
    children: list[tuple[int, int]] = []
    try:
        for task in tasks[1:]:
            children.append(_fork(task))
        first = tasks[0]()
        rest = [_collect(pid, read_end) for pid, read_end in children]
        children.clear()
    finally:
        _stop(children)  # only after an interruption or an error here: otherwise all collected
    return [first, *rest]


class Forked(Generic[T]):
    """One task running in a forked child while this process goes on: `result()` waits for
    it (and raises what it raised); leaving the `with` block without asking stops the child."""

    def __init__(self, task: Callable[[], T]) -> None:
        gc.freeze()  # as in run_forked
        self._child: tuple[int, int] | None = _fork(task)

    def result(self) -> T:
        if self._child is None:
            raise RuntimeError("the result was asked for already")
        pid, read_end = self._child
        self._child = None
        return cast(T, _collect(pid, read_end))

    def __enter__(self) -> Forked[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._child is not None:
            _stop([self._child])
            self._child = None


def _fork(task: Callable[[], T]) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid != 0:
        os.close(write_end)
        return pid, read_end
    os.close(read_end)  # pragma: no cover (runs in the child, after fork)
    # The parent stops its children with SIGTERM (_stop): they end there and then, whatever
    # handler the command line gave the parent (cli.main).
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # pragma: no cover
    try:  # pragma: no cover
        outcome: tuple[bool, object] = (True, task())
    except BaseException as error:  # pragma: no cover (anything: the child never escapes)
        outcome = (False, _portable(error))
    try:  # pragma: no cover
        with os.fdopen(write_end, "wb") as stream:
            pickle.dump(outcome, stream, protocol=pickle.HIGHEST_PROTOCOL)
    finally:  # pragma: no cover
        os._exit(0)


def _portable(error: BaseException) -> BaseException:
    """The exception itself when it survives pickling, else a description of it."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


def _collect(pid: int, read_end: int) -> Any:
    with os.fdopen(read_end, "rb") as stream:
        data = stream.read()
    _, status = os.waitpid(pid, 0)
    try:
        succeeded, value = pickle.loads(data)  # our own child's bytes, through our own pipe
    except Exception:
        code = os.waitstatus_to_exitcode(status)
        raise ChildFailed(f"a worker process ended without a result (exit status {code})") from None
    if not succeeded:
        raise value
    return value


def _stop(children: list[tuple[int, int]]) -> None:
    for pid, read_end in children:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
        with contextlib.suppress(OSError):
            os.close(read_end)
