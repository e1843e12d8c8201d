"""One table for the whole `make bench` run.

Each benchmark calls `record(...)` for every figure it measures, beside the reference measured in the same
run; when the pytest session ends (tests/perf/conftest.py) the rows are printed as one Markdown table and
written to var/bench/summary.md with the machine's load average, next to each benchmark's own detailed file.
"""

import os
import platform
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = ROOT / "var" / "bench"


@dataclass(frozen=True)
class Row:
    area: str
    what: str
    measured: str
    reference: str
    target: str
    ok: bool | None


_rows: list[Row] = []


def record(area: str, what: str, measured: str, reference: str = "", target: str = "", ok: bool | None = None):
    """Add one figure to the run's table. `ok` is None where the row has no target (it only informs)."""
    _rows.append(Row(area, what, measured, reference, target, ok))


def rows() -> list[Row]:
    return list(_rows)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} on {os.cpu_count()} cores"


def render(all_rows: list[Row], started_load: str) -> str:
    mark = {True: "yes", False: "**no**", None: ""}
    lines = [
        f"# make bench, {time.strftime('%Y-%m-%d %H:%M')} ({platform.node()})",
        "",
        f"Load when the run began: {started_load}; when it ended: {load()}.",
        "",
        "| area | what | measured | reference in the same run | target | met |",
        "|---|---|---|---|---|---|",
    ]
    lines += [f"| {r.area} | {r.what} | {r.measured} | {r.reference} | {r.target} | {mark[r.ok]} |" for r in all_rows]
    return "\n".join(lines) + "\n"


def write(started_load: str) -> Path | None:
    if not _rows:
        return None
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    text = render(_rows, started_load)
    path = BENCH_DIR / "summary.md"
    path.write_text(text, encoding="utf-8")
    print("\n" + text)
    return path
