"""Languages: chosen with the switcher (kept in a cookie), else from the browser."""

import unicodedata
from urllib.parse import unquote, urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    has_request_context,
    make_response,
    redirect,
    request,
    url_for,
)
from flask_babel import Babel, get_locale

bp = Blueprint("language", __name__)


def select_locale() -> str:
    if not has_request_context():  # the CLI, the outbox worker, domain code run from a test
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    return language_asked_for(request)


def language_asked_for(asking) -> str:
    """The language a request asks for: the one chosen with the switcher (its cookie), else the
    browser's best match among ours, else the default."""
    languages = current_app.config["LANGUAGES"]
    chosen = asking.cookies.get(current_app.config["LANGUAGE_COOKIE"])
    if chosen in languages:
        return chosen
    return (
        asking.accept_languages.best_match(languages.keys())
        or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def vary_on_language(response):
    """A page depends on the language asked for: the browser's, or the switcher's cookie."""
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


def current_language() -> str:
    return str(get_locale() or "en").split("_")[0]


def text_direction() -> str:
    return "rtl" if current_language() in current_app.config["RTL_LANGUAGES"] else "ltr"


# Unicode categories that never belong in a path we send back in a Location header: control
# characters (a newline would end the header: a 500, or header injection), format characters
# (right-to-left overrides, zero-width spaces) and line or paragraph separators.
_NEVER_IN_A_PATH = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def _leaves_the_site(target: str) -> bool:
    try:
        parts = urlsplit(target)
    except ValueError:  # e.g. an unclosed "[" read as an IPv6 address
        return True
    return bool(
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(unicodedata.category(char) in _NEVER_IN_A_PATH for char in target)
    )


def safe_next(target: str | None, fallback: str = "/") -> str:
    """Only ever redirect to a path on this site.

    Anything else gets the fallback: another site (`//evil`, `/\\evil`, `https:`), a scheme
    (`javascript:`), and control characters, which browsers strip or which would break the
    Location header. The check is made on the text as given and once more percent-decoded, so
    `/%2F%2Fevil` or `/%0Aenv` typed twice-encoded are refused too.
    """
    if not target or not isinstance(target, str):
        return fallback
    if _leaves_the_site(target) or _leaves_the_site(unquote(target)):
        return fallback
    return target


@bp.get("/language/<code>")
def choose(code: str):
    """The language switcher: plain links, so it works without JavaScript."""
    target = safe_next(request.args.get("next"), url_for("public.home"))
    response = make_response(redirect(target))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(
            current_app.config["LANGUAGE_COOKIE"],
            code,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
            httponly=True,
        )
    return response


def init_i18n(app: Flask, babel: Babel) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.register_blueprint(bp)

    @app.context_processor
    def language_context():
        return {
            "current_language": current_language(),
            "text_direction": text_direction(),
            "languages": app.config["LANGUAGES"],
        }

    app.after_request(vary_on_language)
