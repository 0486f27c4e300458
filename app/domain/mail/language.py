"""What every email to a member of the public shares: the reader's language, and the
one-click unsubscribe headers."""

from flask import current_app


def unsubscribe_headers(link: str) -> dict:
    """RFC 8058 one-click unsubscribe: mail programs show an Unsubscribe button that POSTs here."""
    return {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def reader_language(code: str | None) -> str:
    """The language recorded with a contribution or subscription if this site speaks it, else
    the default."""
    languages = current_app.config["LANGUAGES"]
    code = (code or "").split("-")[0].split("_")[0].lower()
    return code if code in languages else current_app.config["BABEL_DEFAULT_LOCALE"]
