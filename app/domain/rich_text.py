"""Rich text staff write for the public (consultation background, "What we heard").

Only a small allow-list survives: headings, paragraphs, lists, links and emphasis. Everything
else is removed — tags, attributes, styles, scripts — so stored text is always safe to render.
Links keep only http, https and mailto addresses and open safely.
"""

import re

import bleach
from bleach.linkifier import Linker

ALLOWED_TAGS = frozenset({"h2", "h3", "h4", "p", "br", "ul", "ol", "li", "a", "em", "strong", "b", "i"})
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

_cleaner = bleach.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=ALLOWED_PROTOCOLS,
                          strip=True, strip_comments=True)


def _safe_links(attrs, new=False):
    """Every link: no opener access, no referrer, and the GOV.UK link style."""
    href_key = (None, "href")
    if href_key not in attrs:
        return None  # an <a> without an address is not a link; drop it, keep its text
    attrs[(None, "rel")] = "noopener noreferrer"
    attrs[(None, "class")] = "govuk-link"
    return attrs


_linker = Linker(callbacks=[_safe_links], parse_email=False)
# What is inside these is code or styling, not words: removed whole rather than kept as text.
_NOT_TEXT = re.compile(r"<(script|style|template|iframe|object|noscript)\b.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)


def sanitise(html: str | None) -> str:
    """Clean HTML to the allow-list. Safe to call on already-clean text (idempotent)."""
    if not html:
        return ""
    cleaned = _cleaner.clean(_NOT_TEXT.sub("", html.replace("\x00", "")))
    return _linker.linkify(cleaned).strip()
