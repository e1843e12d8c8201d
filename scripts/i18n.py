"""Translation catalogue tools that need only Python (Babel), so `make run` works without GNU gettext.

    python scripts/i18n.py compile   # every locale/*/LC_MESSAGES/django.po -> django.mo
    python scripts/i18n.py check     # fail on untranslated, fuzzy or incomplete plural entries
    python scripts/i18n.py merge F.json [F.json ...]   # fill msgstr from JSON files of translations

JSON format for `merge`: {"msgid": "msgstr"}; plural entries under "singular|||plural" with a list of the
forms; contextual entries under "context|||CTX|||msgid".
"""

import json
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"


def catalogues():
    return sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))


def load(path):
    # The locale (from the folder name) makes Babel keep the Language and Plural-Forms headers when the
    # catalogue is written back; the plural rule itself is read from the file's own header.
    with path.open("rb") as handle:
        return read_po(handle, locale=path.parent.parent.name, abort_invalid=True)


def compile_all() -> int:
    for po in catalogues():
        catalog = load(po)
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with mo.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        print(f"compiled {mo.relative_to(ROOT)}")
    return 0


def problems_of(catalog) -> list[str]:
    found = []
    for message in catalog:
        if not message.id:
            continue
        label = message.id if isinstance(message.id, str) else message.id[0]
        if message.fuzzy:
            found.append(f"fuzzy: {label!r}")
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if isinstance(message.id, tuple | list) and len(strings) < catalog.num_plurals:
            found.append(f"missing plural forms: {label!r}")
        if not all(s.strip() for s in strings):
            found.append(f"untranslated: {label!r}")
    return found


def check_all() -> int:
    failed = False
    for po in catalogues():
        found = problems_of(load(po))
        for problem in found:
            print(f"{po.relative_to(ROOT)}: {problem}")
        failed |= bool(found)
    if failed:
        print("Translation catalogue incomplete.")
        return 1
    print("Translation catalogues complete.")
    return 0


def merge(files: list[str]) -> int:
    translations: dict = {}
    for name in files:
        translations.update(json.loads(Path(name).read_text(encoding="utf-8")))
    for po in catalogues():
        catalog = load(po)
        filled = 0
        for message in catalog:
            if not message.id:
                continue
            key = f"{message.id[0]}|||{message.id[1]}" if isinstance(message.id, tuple | list) else message.id
            if message.context:
                key = f"context|||{message.context}|||{key}"
            if key in translations:
                value = translations[key]
                message.string = tuple(value) if isinstance(value, list) else value
                message.flags.discard("fuzzy")
                filled += 1
        with po.open("wb") as handle:
            write_po(handle, catalog, width=0, omit_header=False, include_previous=False)
        print(f"{po.relative_to(ROOT)}: filled {filled} entries")
    return 0


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    command, *rest = argv
    if command == "compile":
        return compile_all()
    if command == "check":
        return check_all()
    if command == "merge":
        return merge(rest)
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
