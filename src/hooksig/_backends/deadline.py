"""
Bounding a blocking database call by a deadline, where the driver has no such bound.

A server that stops answering (a stopped process, a frozen host, a lost
network) leaves a client waiting on its socket for ever.  TCP keepalives
and ``tcp_user_timeout`` do not end that wait while the server's kernel
still acknowledges, as it does for a stopped process.  Two ways out:

- `WATCHDOG` shuts a connection's socket down at the deadline.  The
  waiting call wakes at once with a driver error, and the connection, now
  broken, is discarded.  This suits pooled connections, which the pool
  replaces.
- `Serial` runs the calls on one connection in a worker thread of its own,
  so that a caller can stop waiting at its deadline while the call goes on.
  The connection serves nothing else until that call ends, and a call whose
  deadline passed while it queued never runs.  This suits a single
  connection, which nothing could replace.
"""

from __future__ import annotations

import contextlib
import heapq
import math
import os
import queue
import socket
import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar, cast

__all__ = ["WATCHDOG", "Alarm", "DeadlinePassed", "Serial", "shut_down"]

_T = TypeVar("_T")


class DeadlinePassed(Exception):
    """
    The deadline passed before the call could start or finish.
    """


def shut_down(fileno: int) -> None:
    """
    Shut a socket down both ways, leaving its descriptor to its owner.

    The driver waiting on it reads end-of-file and fails; the descriptor
    stays open, so it cannot be reused under the driver's feet.
    """
    with contextlib.suppress(OSError), socket.socket(fileno=os.dup(fileno)) as sock:
        sock.shutdown(socket.SHUT_RDWR)


class Alarm:
    """
    A deadline for one connection's socket, and whether it went off.
    """

    __slots__ = ("deadline", "disarmed", "fileno", "fired")

    def __init__(self, deadline: float, fileno: int) -> None:
        self.deadline = deadline
        self.fileno = fileno
        self.fired = False
        self.disarmed = False

    def __lt__(self, other: Alarm) -> bool:
        return self.deadline < other.deadline

    def ring(self) -> None:
        """
        Go off: shut the socket down.
        """
        self.fired = True
        shut_down(self.fileno)


class Watchdog:
    """
    One daemon thread that shuts sockets down when their deadline passes.

    Arming and disarming take a lock for a heap push or pop.  The thread
    sleeps until the earliest deadline and is woken only when a new one is
    earlier than that, so a busy store does not wake it on every call.
    """

    def __init__(self) -> None:
        self._reset()
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        # After fork() the thread is gone; the child starts a new one on demand.
        self._cond = threading.Condition(threading.Lock())
        self._alarms: list[Alarm] = []
        self._wake_at = math.inf
        self._thread: threading.Thread | None = None

    def arm(self, deadline: float, fileno: int) -> Alarm:
        """
        Shut ``fileno`` down at ``deadline`` (on `time.monotonic`) unless disarmed first.
        """
        alarm = Alarm(deadline, fileno)
        with self._cond:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._watch, name="hooksig-store-watchdog", daemon=True
                )
                self._thread.start()
            heapq.heappush(self._alarms, alarm)
            if deadline < self._wake_at:
                self._cond.notify()
        return alarm

    def disarm(self, alarm: Alarm) -> bool:
        """
        Stop ``alarm``; return whether it already went off.
        """
        with self._cond:
            alarm.disarmed = True
            alarms = self._alarms
            while alarms and alarms[0].disarmed:
                heapq.heappop(alarms)
            return alarm.fired

    def _watch(self) -> None:
        cond, alarms = self._cond, self._alarms
        with cond:
            while True:
                # disarm() keeps a disarmed alarm from ever being first.
                self._wake_at = alarms[0].deadline if alarms else math.inf
                delay = self._wake_at - time.monotonic()
                if delay > 0:
                    cond.wait(None if delay == math.inf else delay)
                    continue
                # Under the lock: the owner cannot disarm, so cannot close
                # the descriptor, while it is being shut down.
                heapq.heappop(alarms).ring()


WATCHDOG = Watchdog()


class _Job(Generic[_T]):
    __slots__ = ("call", "deadline", "done", "error", "result")

    def __init__(self, call: Callable[[], _T], deadline: float) -> None:
        self.call = call
        self.deadline = deadline
        self.done = threading.Event()
        self.error: BaseException | None = None
        self.result: _T | None = None

    def run(self) -> None:
        try:
            if time.monotonic() >= self.deadline:
                raise DeadlinePassed
            self.result = self.call()
        except BaseException as error:
            self.error = error
        finally:
            self.done.set()


class Serial:
    """
    Run calls one after another on a worker thread, each bounded by its caller's deadline.
    """

    def __init__(self, name: str) -> None:
        self._name = name
        self._jobs: queue.SimpleQueue[_Job[Any]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def call(self, call: Callable[[], _T], deadline: float) -> _T:
        """
        Return ``call()``, run on the worker thread.

        Raises:
            DeadlinePassed: ``call`` did not finish by ``deadline`` (on
                `time.monotonic`); it may still be running, or never run.
        """
        job = _Job(call, deadline)
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name=self._name, daemon=True)
                self._thread.start()
        self._jobs.put(job)
        if not job.done.wait(max(0.0, deadline - time.monotonic())):
            raise DeadlinePassed
        if job.error is not None:
            raise job.error
        return cast("_T", job.result)

    def _work(self) -> None:
        while True:
            self._jobs.get().run()
