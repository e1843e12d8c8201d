"""Browser tests: Debian's Chromium driven by Playwright, against the real ASGI app served by daphne.

One daphne process and one Chromium serve every browser test of the run (tests/e2e is one package: the
server, the browser and the database state live as long as it). The server reads the test database; the
tests run outside any transaction, so what they create is committed and the server sees it. A test asks for
the state of the database it needs with one of these fixtures:

- `daphne_server`: only the rows the migrations made (Wagtail's root page, the site roles); the test may
  change anything.
- `demo_server`: the Polish demo data (manage.py load_demo_data), shared by the tests that only read it.
- `changed_demo_server`: the demo data, for a test that changes it.
- `matrix_server`: the permission matrix's world (tests/site/matrix_data.py, with what the browser tests add:
  `matrix_server.world`), shared by the tests that only read it.

A state is built when a test asks for one the database is not in, and after any test that may change it. The
tests of one shared state run one after another (`pytest_collection_modifyitems` below), so the demo data
is loaded twice and the matrix's world built once per run, instead of once per test. After the last browser
test the database holds again only what the migrations made. Before each test the mail the server wrote and
its cache are emptied.

Without a Chromium the tests skip with a message; with REQUIRE_SERVICES=1 (CI) that is a failure.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.servers import Daphne, database_url

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
# The order the browser tests run in: the readers of each shared state together, then the tests that change it.
STATE_ORDER = ("demo_server", "changed_demo_server", "matrix_server")


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _missing(reason: str):
    if REQUIRE:
        pytest.fail(f"REQUIRE_SERVICES=1 but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


def pytest_collection_modifyitems(config, items):
    """Every browser test uses the test database (pytest-django creates it and keeps the rows the migrations
    made for the restores below), and the tests of each shared state run together."""
    here = Path(__file__).parent
    browser_tests = [item for item in items if here in item.path.parents]
    in_one_worker = config.pluginmanager.hasplugin("xdist")
    for item in browser_tests:
        item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
        if in_one_worker:
            # With `-n 2 --dist loadgroup` every browser test runs in the same worker: one server, one browser,
            # and each shared state built once.
            item.add_marker(pytest.mark.xdist_group("browser"))
    rank = {item: _state_rank(item) for item in browser_tests}
    ordered = iter(sorted(browser_tests, key=rank.__getitem__))
    items[:] = [next(ordered) if item in rank else item for item in items]


def _state_rank(item) -> int:
    return next((i for i, name in enumerate(STATE_ORDER) if name in item.fixturenames), len(STATE_ORDER))


@pytest.fixture
def _django_db_helper(django_db_setup, django_db_blocker):
    """Browser tests keep the committed database between them (see `BrowserDatabase`), so pytest-django's own
    handling of the `django_db` mark (a flush after each test and a reload before the next) is replaced here by
    plain database access. This overrides a fixture of pytest-django's; should that fixture be renamed, the flush
    comes back and `BrowserDatabase.use` fails, saying so."""
    from django.db import connections

    django_db_blocker.unblock()
    yield
    # The test ran beside Playwright's loop, in a context with connections of its own: close them, or the test
    # database could not be dropped at the end (PostgreSQL refuses while a session is open).
    connections.close_all()
    django_db_blocker.restore()


@pytest.fixture(scope="package")
def browser(browser_database):
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
    """The daphne process the browser tests share, and the folders it writes to."""

    def __init__(self, workdir: Path):
        self.mail_dir = workdir / "mail"
        self.media_root = workdir / "media"
        self.cache_dir = workdir / "cache"
        for folder in (self.mail_dir, self.media_root, self.cache_dir):
            folder.mkdir()
        self.workdir = workdir
        self.process: Daphne | None = None
        self.world: dict | None = None

    @property
    def url(self) -> str:
        return self.process.url

    def start(self) -> "LiveServer":
        from django.conf import settings

        env = {
            **os.environ,
            # The test settings with a cache the tests can empty (tests/e2e/server_settings.py).
            "DJANGO_SETTINGS_MODULE": "tests.e2e.server_settings",
            "OSWIATA_TEST_MEDIA_ROOT": str(self.media_root),
            "OSWIATA_TEST_CACHE_DIR": str(self.cache_dir),
            "DATABASE_URL": database_url(),
            "OSWIATA_EMAIL_FILE_PATH": str(self.mail_dir),
        }
        cache = settings.CACHES["default"]
        if cache["BACKEND"].endswith("RedisCache"):
            # The cache database and key prefix the tests empty (tests/conftest.py:clear_cache).
            env["TEST_REDIS_CACHE_URL"] = cache["LOCATION"]
            env["OSWIATA_TEST_CACHE_KEY_PREFIX"] = cache["KEY_PREFIX"]
        prefix = settings.CHANNEL_LAYERS["default"].get("CONFIG", {}).get("prefix")
        if prefix:
            env["OSWIATA_TEST_CHANNEL_PREFIX"] = prefix  # this test process's own groups
        env.pop("REQUIRE_SERVICES", None)
        self.process = Daphne(self.workdir, env, name="e2e-daphne")
        env["OSWIATA_SITE_BASE_URL"] = self.process.url
        self.process.start()
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()

    def reset(self) -> None:
        """No mail from earlier tests; an empty cache (with Redis, tests/conftest.py:_fresh_cache empties it)."""
        for folder in (self.mail_dir, self.cache_dir):
            shutil.rmtree(folder)
            folder.mkdir()

    def mails(self) -> list[str]:
        return [p.read_text(encoding="utf-8") for p in sorted(self.mail_dir.glob("*.log"))]


class BrowserDatabase:
    """What the committed test database holds now, so that a state the next test needs is built only when
    the database is not in it already."""

    CLEAN = "clean"

    def __init__(self, serialized: dict[str, str]):
        # The rows the migrations made, as pytest-django serialized them, content types first: restored into
        # empty tables, a row saved before them whose signal handler looks up a content type would otherwise
        # create that content type again, under another id.
        self.serialized = {alias: _content_types_first(contents) for alias, contents in serialized.items()}
        self.state: str | None = None  # None: unknown, or changed by a test
        self.world: dict | None = None
        self.pages = None

    def use(self, state: str, build=None, *, changes: bool) -> dict | None:
        """Put the database in `state` (the migrations' rows, plus what `build()` makes), unless it is in it."""
        if self.state == state:
            self._check_untouched()
        else:
            run_in_thread(self._restore)
            self.world = run_in_thread(build) if build is not None else None
            self.pages = run_in_thread(_page_count)
            self.state = state
        if changes:
            self.state = None
        return self.world

    def leave_clean(self) -> None:
        run_in_thread(self._restore)
        self.state, self.world = self.CLEAN, None

    def _check_untouched(self) -> None:
        if run_in_thread(_page_count) != self.pages:
            raise RuntimeError(
                "The database of the browser tests was emptied between two tests that share it: is "
                "tests/e2e/conftest.py:_django_db_helper still overriding pytest-django's fixture?"
            )

    def _restore(self) -> None:
        """Empty every table and put back the rows the migrations made (what pytest-django's flush and
        serialized rollback do between transactional tests)."""
        from django.contrib.contenttypes.models import ContentType
        from django.core.management import call_command
        from django.db import connections

        for alias, contents in self.serialized.items():
            call_command(
                "flush",
                verbosity=0,
                interactive=False,
                database=alias,
                reset_sequences=False,  # new rows must not take the ids of the restored ones
                inhibit_post_migrate=True,
            )
            connections[alias].creation.deserialize_db_from_string(contents)
        ContentType.objects.clear_cache()


def _content_types_first(contents: str) -> str:
    import json

    rows = json.loads(contents)
    rows.sort(key=lambda row: row["model"] != "contenttypes.contenttype")  # a stable sort: the rest keep their order
    return json.dumps(rows)


def _page_count() -> int:
    from wagtail.models import Page

    return Page.objects.count()


@pytest.fixture(scope="package")
def browser_database(django_db_setup, django_db_blocker):
    # Read before Playwright starts: Django keeps connections per context, and once Playwright's loop runs the
    # tests see new connection objects, without the contents pytest-django serialized at setup.
    from django.db import connections

    serialized = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    serialized = {alias: contents for alias, contents in serialized.items() if contents is not None}
    assert serialized, "pytest-django kept no rows of the migrations to restore (serialized_rollback)"
    database = BrowserDatabase(serialized)
    yield database
    with django_db_blocker.unblock():
        database.leave_clean()


@pytest.fixture(scope="package")
def live_server_process(browser, browser_database, tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("e2e-server")).start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _media_root(settings, live_server_process):
    """The tests' files go where the server reads them (replaces the per-test folder of tests/conftest.py)."""
    settings.MEDIA_ROOT = live_server_process.media_root


def _serve(server: LiveServer, database: BrowserDatabase, state: str, build=None, *, changes: bool) -> LiveServer:
    server.world = database.use(state, build, changes=changes)
    server.reset()
    return server


@pytest.fixture
def daphne_server(live_server_process, browser_database):
    """The server on a database holding only what the migrations made; the test may change anything."""
    return _serve(live_server_process, browser_database, BrowserDatabase.CLEAN, changes=True)


@pytest.fixture
def demo_server(live_server_process, browser_database):
    """The server on the demo data, shared with the other tests that only read it."""
    return _serve(live_server_process, browser_database, "demo", load_demo_data, changes=False)


@pytest.fixture
def changed_demo_server(live_server_process, browser_database):
    """The server on the demo data, for a test that changes it (the next test gets a fresh copy)."""
    return _serve(live_server_process, browser_database, "demo", load_demo_data, changes=True)


@pytest.fixture
def matrix_server(live_server_process, browser_database):
    """The server on the permission matrix's world (`matrix_server.world`), shared by tests that only read it."""
    from tests.e2e.matrix_world import build_world

    return _serve(live_server_process, browser_database, "matrix", build_world, changes=False)


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


def load_demo_data():
    """The Polish demo data (manage.py load_demo_data)."""
    import io

    from django.core.management import call_command

    call_command("load_demo_data", stdout=io.StringIO())
