"""Each app is a plugin (DESIGN.md): its settings come from its conf.py, its pages extend the base template the
host names, and it names no absolute address of the host. These read the source; tests/hosts prove it runs."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["oswiata_kit", "exchange_groups", "learning", "forums", "debates", "notifications"]

SETTING_READ = re.compile(r"getattr\(\s*settings\s*,\s*([^,)]+)")
EXTENDS_LITERAL_BASE = re.compile(r"{%\s*extends\s+[\"']base\.html[\"']\s*%}")
ABSOLUTE_ADDRESS = re.compile(r"\b(?:href|action|src|formaction)=\"/(?!/)")


def _app_files(pattern: str):
    for app in APPS:
        for path in sorted((ROOT / app).rglob(pattern)):
            if "migrations" not in path.parts:
                yield path, path.relative_to(ROOT).as_posix()


def test_app_code_reads_settings_only_through_its_conf():
    found = set()
    for path, relative in _app_files("*.py"):
        if path.name == "conf.py":
            continue
        for name in SETTING_READ.findall(path.read_text(encoding="utf-8")):
            found.add((relative, name.strip().strip("\"'")))
    assert sorted(found) == []


@pytest.mark.parametrize("app", APPS)
def test_app_templates_extend_the_base_template_the_host_names(app):
    literal = [
        relative
        for path, relative in _app_files("*.html")
        if relative.startswith(f"{app}/") and EXTENDS_LITERAL_BASE.search(path.read_text(encoding="utf-8"))
    ]
    assert literal == []


@pytest.mark.parametrize("app", APPS)
def test_app_templates_name_no_absolute_address_of_the_host(app):
    absolute = [
        f"{relative}:{number}"
        for path, relative in _app_files("*.html")
        if relative.startswith(f"{app}/")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ABSOLUTE_ADDRESS.search(line)
    ]
    assert absolute == []


def test_no_app_imports_the_site_package():
    importing = [
        relative
        for path, relative in _app_files("*.py")
        if re.search(r"^\s*(?:from|import)\s+oswiata_site\b", path.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert importing == []
