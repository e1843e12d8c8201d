"""The forums' post-writing core is public: other modules call its verbs, never its private names.

Moderation and the debates' schedule change posts and topics only through `forums.services`; a topic's
sequence and a post's hidden state have one writer. Read from the source (no database needed).
"""

import ast
import re
from pathlib import Path

import pytest

from forums import moderation, services

ROOT = Path(__file__).resolve().parents[2]
APPS = ("forums", "debates", "notifications", "learning", "exchange_groups", "site", "oswiata_kit")
CALLERS = sorted(path for app in APPS for path in ROOT.joinpath(app).rglob("*.py") if "migrations" not in path.parts)
CORE = ("forums.services", "forums.payloads")


def _private_core_names_used(path: Path) -> list[str]:
    """Private names of the forums' post-writing core (services, payloads) used outside it: `from
    forums.services import _x`, `from .services import _x` and `services._x` / `forum_services._x`."""
    package = ".".join(path.relative_to(ROOT).parts[:-1])
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases = set()
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
        module = f"{base}.{node.module}" if node.level and node.module else (base if node.level else node.module)
        for alias in node.names:
            full = f"{module}.{alias.name}"
            if full in CORE:
                aliases.add(alias.asname or alias.name)
            elif module in CORE and alias.name.startswith("_"):
                found.append(f"from {module} import {alias.name}")
    for node in ast.walk(tree):
        named = isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
        if named and node.attr.startswith("_") and not node.attr.startswith("__"):
            found.append(f"{node.value.id}.{node.attr}")
    return found


@pytest.mark.parametrize(
    "path",
    [path for path in CALLERS if ".".join(path.relative_to(ROOT).with_suffix("").parts) not in CORE],
    ids=lambda path: str(path.relative_to(ROOT)),
)
def test_structure_no_module_uses_private_names_of_the_post_writing_core(path):
    assert _private_core_names_used(path) == []


def test_structure_debates_never_write_forum_topics_themselves():
    source = ROOT.joinpath("debates", "services.py").read_text(encoding="utf-8")
    assert not re.search(r"\bTopic\.objects", source)
    assert "from forums import publisher" not in source


def test_structure_hide_post_means_one_thing():
    """Hiding a post is the moderators' logged action; the bare state change is `services.set_hidden`."""
    assert not hasattr(services, "hide_post") and not hasattr(services, "restore_post")
    assert callable(moderation.hide_post) and callable(moderation.restore_post)
    assert callable(services.set_hidden) and callable(services.take_seq)


def test_structure_forum_signals_module_defines_signals_only():
    """The receiver that gives a space its forum lives in receivers.py (signals.py imports no services)."""
    tree = ast.parse(ROOT.joinpath("forums", "signals.py").read_text(encoding="utf-8"))
    imports = [
        (node.level, node.module or "", alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    ]
    assert not [entry for entry in imports if entry[0] > 0 or entry[1].startswith(("forums", "exchange_groups"))]
    functions = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
    assert "make_space_forum" not in functions
