"""Benchmarks share one summary table (tests/perf/report.py), printed and written when the run ends."""

from tests.perf import report

_started_load = report.load()


def pytest_sessionfinish(session, exitstatus):
    path = report.write(_started_load)
    if path is not None:
        print(f"summary written to {path}")


def missing(reason: str):
    """A benchmark whose service is absent: a failure with REQUIRE_SERVICES=1 (as in the suite), a skip otherwise."""
    import os

    import pytest

    if os.environ.get("REQUIRE_SERVICES"):
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)
