"""Every configured language must be whole: nothing untranslated, nothing fuzzy, nothing missing.

A string added to the code without `make translations` (and a translation for each language)
fails here, so later work keeps every page readable in every language.
"""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from config import Config

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
OTHER_LANGUAGES = [code for code in Config.LANGUAGES if code != Config.BABEL_DEFAULT_LOCALE]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
METHOD_MAP = [("**.py", "python"), ("templates/**.html", "jinja2")]


def _message_ids_in_code() -> set[str]:
    ids = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT / "app"),
        METHOD_MAP,
        keywords=KEYWORDS,
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    ):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def _catalogue(code: str):
    with open(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=code)


@pytest.fixture(scope="module")
def code_ids():
    return _message_ids_in_code()


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_every_string_in_the_code_is_in_the_catalogue(code, code_ids):
    catalogue_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalogue(code) if m.id}
    missing = sorted(code_ids - catalogue_ids)
    assert not missing, (
        f"{len(missing)} strings not in {code}: run `make translations` and translate them: "
        f"{missing[:10]}"
    )


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_catalogue_has_no_untranslated_or_fuzzy_messages(code):
    catalogue = _catalogue(code)
    assert not catalogue.fuzzy, (
        f"the {code} catalogue header is marked fuzzy, so pybabel will not compile it"
    )
    untranslated, fuzzy = [], []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if not all(strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert not untranslated, f"{len(untranslated)} untranslated in {code}: {untranslated[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {code}: {fuzzy[:10]}"


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_compiled_catalogue_matches_the_source(code):
    def as_key(value):
        return tuple(value) if isinstance(value, (list, tuple)) else value

    with open(TRANSLATIONS / code / "LC_MESSAGES" / "messages.mo", "rb") as handle:
        compiled = {as_key(m.id): as_key(m.string) for m in read_mo(handle) if m.id}
    source = {as_key(m.id): as_key(m.string) for m in _catalogue(code) if m.id and not m.fuzzy}
    assert compiled == source, "translations/ is not compiled: run `make translations`"
