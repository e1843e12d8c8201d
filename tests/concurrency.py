"""Calls that run at the same moment, as simultaneous web workers would: the one harness of the concurrency tests.

Each call runs in a thread of its own with its own database connection (closed when the call ends), and all of
them wait at a barrier so that they start together. Use it in transactional tests against PostgreSQL
(`pytest.mark.django_db(transaction=True)`): the threads see only committed rows.
"""

import threading
from collections.abc import Callable

from django.db import connection


class Outcomes(list):
    """What each call gave, in the order of the calls: the value it returned or the exception it raised."""

    @property
    def results(self) -> list:
        """The values returned by the calls that did not raise."""
        return [outcome for outcome in self if not isinstance(outcome, BaseException)]

    @property
    def errors(self) -> list[BaseException]:
        """The exceptions raised by the calls that did."""
        return [outcome for outcome in self if isinstance(outcome, BaseException)]


def run_concurrently(fn: Callable[[int], object], n: int = 2, *, timeout: float = 60) -> Outcomes:
    """Call `fn(0)`, …, `fn(n - 1)` in n threads released together; return what each returned or raised.

    A call that is still running after `timeout` seconds fails the test (a lock that is never released)."""
    barrier = threading.Barrier(n)
    outcomes = Outcomes([None] * n)

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=timeout)
            outcomes[index] = fn(index)
        except BaseException as error:  # noqa: BLE001 — handed to the test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,), daemon=True) for index in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    hung = [index for index, thread in enumerate(threads) if thread.is_alive()]
    assert not hung, f"calls {hung} were still running after {timeout} s"
    return outcomes
