"""Rich text that staff write for the public pages (a consultation's background, "What we heard").

Only a small allow-list survives: headings, paragraphs, lists, links and emphasis. Everything
else is removed — scripts, styles and embedded frames together with their content, attributes
such as onclick or style, and links that are not http(s) or mailto. Text is sanitised when it is
saved AND again when it is shown (`as_markup`), so translations entered elsewhere and anything
written straight to the database are safe too.
"""

from html import escape

import bleach
from bleach.html5lib_shim import Filter
from markupsafe import Markup

ALLOWED_TAGS = frozenset({"h2", "h3", "h4", "p", "ul", "ol", "li", "a", "strong", "em"})
ALLOWED_ATTRIBUTES = {"a": ["href"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
# Removed with everything inside them, not just their tags: their content is code, not text.
DROPPED_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "noscript",
        "template",
        "svg",
        "math",
        "textarea",
        "select",
        "title",
        "head",
        "noembed",
        "noframes",
        "xmp",
    }
)
LINK_REL = "noopener"


class _DropAndLinkFilter(Filter):
    """Drops the DROPPED_WITH_CONTENT elements with their content, unwraps links that lost their
    address (e.g. a javascript: link) and gives every remaining link rel="noopener"."""

    def __iter__(self):
        dropping = 0
        links: list[bool] = []  # for each open <a>: was it kept?
        for token in super().__iter__():
            kind = token.get("type")
            name = (token.get("name") or "").lower()
            if name in DROPPED_WITH_CONTENT and kind in ("StartTag", "EndTag", "EmptyTag"):
                if kind == "StartTag":
                    dropping += 1
                elif kind == "EndTag" and dropping:
                    dropping -= 1
                continue
            if dropping:
                continue
            if name == "a" and kind == "StartTag":
                data = dict(token.get("data") or {})
                keep = bool(data.get((None, "href"), "").strip())
                links.append(keep)
                if not keep:
                    continue
                data = {(None, "href"): data[(None, "href")], (None, "rel"): LINK_REL}
                token = {**token, "data": data}
            elif name == "a" and kind == "EndTag" and links and not links.pop():
                continue
            yield token


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS
    | DROPPED_WITH_CONTENT,  # let the filter see them, so it can drop their content
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[_DropAndLinkFilter],
)


def _plain_paragraphs(text: str) -> str:
    """Text typed with no HTML at all: each block separated by a blank line is a paragraph."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return "".join(f"<p>{escape(block)}</p>" for block in blocks if block)


def sanitise(html: str | None) -> str:
    """The allow-listed HTML of `html`; plain text becomes paragraphs."""
    text = (html or "").replace("\x00", "").strip()
    if not text:
        return ""
    if "<" not in text:
        text = _plain_paragraphs(text)
    return _cleaner.clean(text).strip()


def as_markup(html: str | None) -> Markup:
    """For templates (`|rich_text`): sanitised again as it is shown, then marked safe."""
    return Markup(sanitise(html))


def is_blank(html: str | None) -> bool:
    """True when nothing readable is left once the tags are removed."""
    return not bleach.clean(sanitise(html), tags=set(), strip=True).strip()
