"""Browser tests: Debian's Chromium driven by Playwright, against the real ASGI app served by daphne.

The server is a daphne process on a free loopback port using the test database (tests use
`transactional_db`, so what they create is committed and visible to it). Without a Chromium the tests
skip with a message; with REQUIRE_SERVICES=1 (CI) that is a failure.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.servers import database_url, free_port

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).parent / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REQUIRE = os.environ.get("REQUIRE_SERVICES", "").strip() in {"1", "true", "yes"}


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _missing(reason: str):
    if REQUIRE:
        pytest.fail(f"REQUIRE_SERVICES=1 but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


browser_serialized_contents: dict[str, str] = {}


@pytest.fixture
def _serialized_contents_for_this_context(browser):
    from django.db import connections

    for alias, contents in browser_serialized_contents.items():
        connections[alias]._test_serialized_contents = contents


@pytest.fixture(scope="package")
def browser(django_db_setup):
    executable = chromium_path()
    if executable is None:
        _missing("no Chromium (apt-get install chromium) — browser tests skipped")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python is not installed — browser tests skipped")
    # Playwright's sync API keeps an event loop running in this thread while it is open; Django's ORM
    # calls made by the tests themselves are still synchronous, so allow them for the browser tests only.
    # The package scope closes the browser (and the loop) before any other test package runs.
    from django.db import connections

    # Django keeps connections per context; once Playwright runs, the tests see a new connection object
    # that lacks the database contents serialized at setup, and serialized_rollback would restore nothing.
    serialized = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    browser_serialized_contents.update({k: v for k, v in serialized.items() if v is not None})
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class LiveServer:
    def __init__(self, url: str, mail_dir: Path):
        self.url = url
        self.mail_dir = mail_dir

    def mails(self) -> list[str]:
        return [p.read_text(encoding="utf-8") for p in sorted(self.mail_dir.glob("*.log"))]


@pytest.fixture
def daphne_server(_serialized_contents_for_this_context, django_db_serialized_rollback, transactional_db, tmp_path):
    # Every browser test commits its data (the daphne process must see it) and then restores the rows
    # the migrations made (Wagtail's root page, the site roles) for the tests after it. The order of the
    # arguments matters: the serialized contents must be in place before the database fixtures run.
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    from django.conf import settings

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "oswiata_site.settings.test",
        "OSWIATA_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DATABASE_URL": database_url(),
        "OSWIATA_EMAIL_FILE_PATH": str(mail_dir),
        "OSWIATA_SITE_BASE_URL": url,
    }
    log = (tmp_path / "daphne.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "oswiata_site.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"daphne exited: {(tmp_path / 'daphne.log').read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError("daphne did not start in 30 s")
    yield LiveServer(url, mail_dir)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def new_page(browser, *, cookies=()):
    """A page in a browser context of its own (a person's own browser): Polish, 1280×900, axe-core loaded.

    axe-core is injected before each document loads (through the DevTools protocol, which the page's
    Content-Security-Policy does not govern), so the CSP stays enforced in every browser test. Messages the
    browser logs about the CSP are kept in `page.csp_violations`."""
    context = browser.new_context(locale="pl-PL", viewport={"width": 1280, "height": 900})
    context.add_init_script(path=str(AXE_JS))
    if cookies:
        context.add_cookies(list(cookies))
    page = context.new_page()
    page.csp_violations = []
    page.on(
        "console",
        lambda message: page.csp_violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.set_default_timeout(10_000)
    return page


def session_cookies(user, base_url: str) -> list[dict]:
    """The cookies of a session logged in as `user` (made by Django's test client, kept in the database)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return [{"name": name, "value": morsel.value, "url": base_url} for name, morsel in client.cookies.items()]


@pytest.fixture
def page(browser):
    page = new_page(browser)
    yield page
    page.context.close()


AXE_RUN = """async () => {
  const results = await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']});
  const applied = [...results.passes, ...results.violations, ...results.incomplete].map((rule) => rule.id);
  return {violations: results.violations, applied: applied};
}"""


def run_axe(page) -> list[dict]:
    """WCAG 2.0/2.1 A and AA violations on the current page."""
    return run_axe_with_rules(page)[0]


def run_axe_with_rules(page) -> tuple[list[dict], set[str]]:
    """The violations, and the ids of the rules that applied to the page (passed, failed or need review)."""
    results = page.evaluate(AXE_RUN)
    return results["violations"], set(results["applied"])


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = node.get("failureSummary", "").splitlines()[-1:]
            lines.append(f"    {', '.join(map(str, node['target']))}: {summary}")
    return "\n".join(lines)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def run_in_thread(function, *args, **kwargs):
    """Run `function` in a thread of its own and return its result (its exception is re-raised here).

    Playwright's event loop runs in the test's thread, and the channel-layer sends that services make on
    commit (async_to_sync) refuse to run beside a running loop: the demo data, the matrix's world and the
    debate schedule are run through this."""
    import threading

    from django.db import connections

    result, errors = [], []

    def run():
        try:
            result.append(function(*args, **kwargs))
        except BaseException as error:  # re-raised in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return result[0]


def load_demo_data_in_thread():
    """The Polish demo data (manage.py load_demo_data), committed, loaded off Playwright's loop thread."""
    import io

    from django.core.management import call_command

    run_in_thread(call_command, "load_demo_data", stdout=io.StringIO())
