"""Gunicorn for the page benchmarks: N sync workers serving oswiata_site.wsgi, and CPU time per request.

CPU is read from /proc for the workers only (user + system time, in clock ticks), so the client, the
database and Redis on the same machine do not count: `cpu_per_request` is what one page costs the server.
Pages and their reference (the project's simplest Wagtail page) are measured by the same server in the
same run, interleaved in rounds, so a change of machine load affects both alike.
"""

import http.client
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.servers import ROOT, _Process, free_port, wait_for_port

TICKS = os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found += [int(child) for child in children]
    return found


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime (fields 14 and 15 of stat)


class Gunicorn(_Process):
    """`gunicorn -w N` on a free port with the given environment (settings, DATABASE_URL, ...)."""

    def __init__(self, workdir: Path, env: dict, workers: int = 2, app: str = "oswiata_site.wsgi:application"):
        self.port = free_port()
        self.env = env
        self.workers = workers
        self.app = app
        self.log = workdir / f"gunicorn-{self.port}.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Gunicorn":
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}", self.app],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
        )
        wait_for_port(self.port, self.process, self.log)
        deadline = time.monotonic() + 30
        while len(_children(self.process.pid)) < self.workers and time.monotonic() < deadline:
            time.sleep(0.1)
        return self

    def worker_cpu_ticks(self) -> int:
        return sum(_cpu_ticks(pid) for pid in _children(self.process.pid))


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@dataclass
class PageCost:
    path: str
    requests: int
    cpu_ms: float  # CPU of the server's workers per request

    def ratio_to(self, reference: "PageCost") -> float:
        """The reference's cost divided by this page's: 1.0 means as cheap as the reference, 0.5 twice its cost."""
        return reference.cpu_ms / self.cpu_ms if self.cpu_ms else float("inf")


def cpu_per_request(
    server: Gunicorn,
    paths: list[str],
    headers: dict | None = None,
    requests: int = 200,
    warmup: int = 20,
    rounds: int = 5,
) -> dict[str, PageCost]:
    """CPU per request of each path, measured in `rounds` interleaved rounds (requests / rounds each per round).

    Every response must be 200: a benchmark of an error page would measure nothing.
    """
    for path in paths:
        for _ in range(warmup):
            status, body = get(server.port, path, headers)
            if status != 200:
                raise AssertionError(f"{path} answered {status}: {body[:300]!r}")
    ticks = dict.fromkeys(paths, 0)
    per_round = max(1, requests // rounds)
    for _ in range(rounds):
        for path in paths:
            before = server.worker_cpu_ticks()
            for _ in range(per_round):
                get(server.port, path, headers)
            ticks[path] += server.worker_cpu_ticks() - before
    count = per_round * rounds
    return {path: PageCost(path, count, ticks[path] * 1000 / TICKS / count) for path in paths}
