"""Benchmarks share one summary table (tests/perf/report.py), printed and written when the run ends."""

from tests.perf import report

_started_load = report.load()


def pytest_sessionfinish(session, exitstatus):
    path = report.write(_started_load)
    if path is not None:
        print(f"summary written to {path}")
