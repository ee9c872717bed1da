"""hooksig._backends.deadline: the watchdog that shuts sockets down, and the serial worker."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from hooksig._backends.deadline import WATCHDOG, DeadlinePassed, Serial, shut_down


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    """A connected pair of sockets: a blocked recv() on the first stands in for a driver."""
    first, second = socket.socketpair()
    yield first, second
    first.close()
    second.close()


def test_watchdog_wakes_a_blocked_reader_at_the_deadline(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    """At the deadline the socket is shut down: the reader sees end-of-file at once."""
    reader, _ = pair
    started = time.monotonic()
    alarm = WATCHDOG.arm(started + 0.2, reader.fileno())
    assert reader.recv(1) == b""
    assert 0.15 <= time.monotonic() - started < 1.0
    assert WATCHDOG.disarm(alarm) is True
    assert reader.fileno() != -1  # shut down, never closed: the descriptor stays its owner's


def test_disarmed_alarm_never_fires(pair: tuple[socket.socket, socket.socket]) -> None:
    """An alarm disarmed in time leaves the socket working after its deadline."""
    reader, writer = pair
    alarm = WATCHDOG.arm(time.monotonic() + 0.1, reader.fileno())
    assert WATCHDOG.disarm(alarm) is False
    time.sleep(0.25)
    writer.sendall(b"x")
    assert reader.recv(1) == b"x"


def test_an_earlier_deadline_armed_later_fires_first(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    """The watchdog wakes for a new deadline earlier than the one it sleeps until."""
    reader, _ = pair
    other, spare = socket.socketpair()
    try:
        late = WATCHDOG.arm(time.monotonic() + 30, other.fileno())
        started = time.monotonic()
        early = WATCHDOG.arm(started + 0.2, reader.fileno())
        assert reader.recv(1) == b""
        assert time.monotonic() - started < 1.0
        assert WATCHDOG.disarm(early) is True
        assert WATCHDOG.disarm(late) is False
    finally:
        other.close()
        spare.close()


def test_many_short_calls_leave_nothing_armed() -> None:
    """Alarms disarmed in order leave the watchdog's heap empty."""
    first, second = socket.socketpair()
    try:
        for _ in range(1000):
            WATCHDOG.disarm(WATCHDOG.arm(time.monotonic() + 60, first.fileno()))
        assert WATCHDOG._alarms == []
    finally:
        first.close()
        second.close()


def test_shut_down_ignores_a_descriptor_that_is_not_a_socket() -> None:
    """A descriptor that is no longer a socket is left alone, without an error."""
    read, write = os.pipe()
    try:
        shut_down(read)
        os.write(write, b"x")
        assert os.read(read, 1) == b"x"
    finally:
        os.close(read)
        os.close(write)


def test_serial_runs_calls_and_passes_errors_on() -> None:
    """A call's result comes back; its exception is raised in the caller."""
    serial = Serial("test-serial")
    assert serial.call(lambda: 42, time.monotonic() + 5) == 42

    def fails() -> None:
        raise KeyError("boom")

    with pytest.raises(KeyError, match="boom"):
        serial.call(fails, time.monotonic() + 5)


def test_serial_stops_waiting_at_the_deadline_and_never_starts_a_late_call() -> None:
    """A call that outlives its caller goes on; one queued past its deadline never runs."""
    serial = Serial("test-serial")
    release = threading.Event()
    ran: list[str] = []

    def slow() -> None:
        release.wait(10)
        ran.append("slow")

    started = time.monotonic()
    with pytest.raises(DeadlinePassed):
        serial.call(slow, started + 0.2)
    assert 0.15 <= time.monotonic() - started < 1.0
    with pytest.raises(DeadlinePassed):
        serial.call(lambda: ran.append("queued"), time.monotonic() + 0.2)
    release.set()
    # The next call waits for the slow one, then runs; the queued one was skipped.
    assert serial.call(lambda: ran.append("next") or len(ran), time.monotonic() + 5) == 2
    assert ran == ["slow", "next"]
