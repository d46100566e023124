"""A forked child sends values back in order, says whether its work went well, and can be stopped."""

import os
import sys

import pytest

from llmkb import forked

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="children are forked on Linux only")


def test_values_come_back_in_order_and_the_child_ends_well():
    big = ["x" * 1000] * 1000  # a megabyte: more than a pipe holds, so the child waits for the reader

    def work(send):
        send("ready")
        send([(1, 2.5, None, "é")])
        send(big)

    child = forked.fork(work)
    assert child is not None
    assert child.receive() == "ready"
    assert child.receive() == [(1, 2.5, None, "é")]
    assert child.receive() == big
    with pytest.raises(EOFError):
        child.receive()
    assert child.finish() is True


def test_work_that_raises_ends_badly_after_what_it_sent():
    def work(send):
        send(1)
        raise RuntimeError("boom")

    child = forked.fork(work)
    assert child.receive() == 1
    with pytest.raises(EOFError):
        child.receive()
    assert child.finish() is False


def test_a_stopped_child_is_reaped():
    def work(send):
        while True:
            send("more")

    child = forked.fork(work)
    assert child.receive() == "more"
    child.stop()
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)


def test_no_child_where_fork_is_not_used(monkeypatch):
    monkeypatch.setattr(forked, "AVAILABLE", False)
    assert forked.fork(lambda send: send(1)) is None
