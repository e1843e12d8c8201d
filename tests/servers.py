"""Real processes for tests and benchmarks: daphne workers and a private redis-server on free loopback ports.

The production shape (several daphne processes sharing one Redis channel layer, PostgreSQL as the truth) is
started here, not mocked: tests/multiworker and tests/perf use it. Each process logs to a file under the
test's tmp_path, printed when it fails to start.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The URL of the database the tests use now (the test database), for processes started by a test."""
    settings = connection.settings_dict
    if settings["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or ""
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{settings.get('HOST') or '127.0.0.1'}:{settings.get('PORT') or 5432}/{settings['NAME']}"


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process on port {port} exited: {log.read_text(errors='replace')[-4000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"nothing listened on port {port} within {timeout} s: {log.read_text(errors='replace')[-4000:]}")


def redis_server_path() -> str | None:
    return shutil.which("redis-server") or ("/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None)


class _Process:
    """A child process a test may kill (SIGKILL: gone at once, as in a crash) or stop (SIGTERM, then SIGKILL)."""

    process: subprocess.Popen | None = None

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None


class RedisServer(_Process):
    """A private redis-server (no persistence) that a test may kill and start again on the same port."""

    def __init__(self, workdir: Path, port: int | None = None):
        self.port = port or free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None
        self.log = workdir / f"redis-{self.port}.log"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        executable = redis_server_path()
        if executable is None:
            raise RuntimeError("redis-server is not installed")
        self.process = subprocess.Popen(
            [
                executable,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
                "--maxclients",
                "10000",
            ],
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
        )
        wait_for_port(self.port, self.process, self.log)
        return self


class Daphne(_Process):
    """One daphne worker serving an ASGI application on a free port."""

    def __init__(self, workdir: Path, env: dict, application: str = "oswiata_site.asgi:application", name="daphne"):
        self.port = free_port()
        self.env = env
        self.application = application
        self.log = workdir / f"{name}-{self.port}.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self, *, wait: bool = True) -> "Daphne":
        """Start the process; with wait=False return at once (start several, then `ready()` each: they boot
        side by side instead of one after another)."""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), self.application],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
        )
        return self.ready() if wait else self

    def ready(self) -> "Daphne":
        """Wait until the worker listens."""
        wait_for_port(self.port, self.process, self.log)
        return self


def start_all(workers: list[Daphne]) -> list[Daphne]:
    """Start the workers side by side and wait until every one listens."""
    for worker in workers:
        worker.start(wait=False)
    return [worker.ready() for worker in workers]


def worker_env(redis_url: str, **extra) -> dict:
    """Environment of a daphne worker on the test database and the given Redis (channel layer and cache)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "oswiata_site.settings.test",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "TEST_REDIS_CACHE_URL": redis_url.rsplit("/", 1)[0] + "/1",
        "DATABASE_POOL": "1",  # as in production (settings/production.py)
    }
    env.pop("REQUIRE_SERVICES", None)
    env.update({key: str(value) for key, value in extra.items()})
    return env
