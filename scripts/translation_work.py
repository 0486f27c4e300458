"""Hand untranslated messages to a translator as JSON, and merge their work back.

    python scripts/translation_work.py export ur todo.json      # what is missing or fuzzy in Urdu
    python scripts/translation_work.py import ur done.json      # merge {msgid: msgstr} back

A plural message is exported as {"msgid": [singular, plural], ...} and imported as a list with
one string per plural form of the language (Polish has 3, Urdu 2).
"""

import json
import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def _path(code: str) -> Path:
    return ROOT / "translations" / code / "LC_MESSAGES" / "messages.po"


def _load(code: str):
    with open(_path(code), "rb") as handle:
        return read_po(handle, locale=code)


def _key(message_id) -> str:
    return (
        json.dumps(list(message_id), ensure_ascii=False)
        if isinstance(message_id, (list, tuple))
        else message_id
    )


def export(code: str, out: str) -> None:
    catalogue = _load(code)
    todo = {}
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if message.fuzzy or not all(strings):
            todo[_key(message.id)] = {
                "plural_forms": catalogue.num_plurals
                if isinstance(message.id, (list, tuple))
                else 1,
                "translation": "",
            }
    Path(out).write_text(json.dumps(todo, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(todo)} messages to translate into {code} written to {out}")


PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%")


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def merge(code: str, source: str) -> None:
    catalogue = _load(code)
    done = json.loads(Path(source).read_text(encoding="utf-8"))
    merged = 0
    for message in catalogue:
        if not message.id:
            continue
        entry = done.get(_key(message.id))
        if not entry:
            continue
        translation = entry["translation"] if isinstance(entry, dict) else entry
        if not translation:
            continue
        if isinstance(message.id, (list, tuple)):
            if not isinstance(translation, list) or len(translation) != catalogue.num_plurals:
                print(f"skipped plural with wrong number of forms: {message.id[0]!r}")
                continue
            expected = set(_placeholders(message.id[1])) - {"%(num)d"}
            if any(not expected <= set(_placeholders(t)) for t in translation):
                print(f"skipped plural whose placeholders differ: {message.id[0]!r}")
                continue
            message.string = tuple(translation)
        else:
            if _placeholders(translation) != _placeholders(message.id):
                print(f"skipped, placeholders differ: {message.id!r}")
                continue
            message.string = translation
        message.flags.discard("fuzzy")
        merged += 1
    catalogue.fuzzy = False  # the header's own fuzzy flag would stop pybabel compiling it
    with open(_path(code), "wb") as handle:
        write_po(handle, catalogue, omit_header=False, width=100)
    print(f"merged {merged} translations into {code}")


if __name__ == "__main__":
    command, code, file = sys.argv[1:4]
    {"export": export, "import": merge}[command](code, file)
