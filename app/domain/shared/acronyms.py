"""Acronyms spelled out the first time they appear on a page: "Kent County Council (KCC)".

An <abbr> title is not enough: phones and screen readers rarely show it. Which acronyms and what
they stand for is configuration (ACRONYMS), because another local area has its own, and they
appear in data (owners, area titles, action titles) as much as in the page text.

`spell_out_html` works on a rendered page's main content, in reading order. Text already written
as "Full name (ABC)" counts as spelled out. An acronym joined to something else is left alone:
"APP-1.1" is a reference, "KCC's" reads on. Scripts, styles, text areas and attributes are never
changed, so what someone typed is kept exactly.
"""

import re

from markupsafe import escape

MAIN = re.compile(r"<main\b[^>]*>.*?</main>", re.S | re.I)
# Pieces of markup that are not text to read: scripts, styles, text areas (what people typed),
# comments and tags (with their attributes).
MARKUP = re.compile(
    r"<(script|style|textarea)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>",
    re.S | re.I,
)


def _pattern(acronym: str) -> re.Pattern:
    return re.compile(rf"(?<![\w\-(]){re.escape(acronym)}(?![\w\-)’'])")


def spell_out_text(
    text: str,
    acronyms: dict[str, str],
    seen: set[str],
    names: tuple[str, ...] = (),
    language: str = "en",
) -> str:
    """One run of escaped text: the first bare use of each acronym not yet `seen` is spelled
    out, and `seen` is updated. Inside `names` (the service's own name, "SEND Voice") nothing
    is changed. On a page in another `language` the (English) name is marked as English, so
    screen readers say it in an English voice and it sits right in right-to-left text."""
    template = (
        "{full} ({acronym})"
        if language == "en"
        else '<span lang="en" dir="ltr">{full}</span> ({acronym})'
    )
    for acronym, full in acronyms.items():
        if acronym in seen or acronym not in text:
            continue
        if f"({acronym})" in text:
            seen.add(acronym)
            continue
        kept = [(m.start(), m.end()) for name in names for m in re.finditer(re.escape(name), text)]
        for match in _pattern(acronym).finditer(text):
            if any(start <= match.start() < end for start, end in kept):
                continue
            spelled = template.format(full=escape(full), acronym=acronym)
            text = f"{text[: match.start()]}{spelled}{text[match.end() :]}"
            seen.add(acronym)
            break
    return text


HEADING_OPEN = re.compile(r"<h[1-6]\b", re.I)
HEADING_CLOSE = re.compile(r"</h[1-6]\s*>", re.I)
SUMMARY_OPEN = re.compile(r"<div\b[^>]*\bgovuk-error-summary\b", re.I)
DIV_OPEN = re.compile(r"<div\b", re.I)
DIV_CLOSE = re.compile(r"</div\s*>", re.I)


def spell_out_html(
    html: str, acronyms: dict[str, str], names: tuple[str, ...] = (), language: str = "en"
) -> str:
    """The page with each acronym in ACRONYMS spelled out the first time its main content uses
    it, except inside `names` (marked as English on a page in another `language`). Headings
    and the error summary stay short, as a content designer would keep them: the first use in
    the text after them is spelled out instead. Pages without a <main> are returned as they
    are."""
    if not acronyms:
        return html
    main = MAIN.search(html)
    if main is None:
        return html
    seen: set[str] = set()
    pieces, position, region = [], 0, main.group(0)
    headings = summary_divs = 0  # how deep inside a heading, or the error summary's <div>s

    def text(piece: str) -> str:
        if headings or summary_divs:
            # Not changed; but a heading that spells one out ("... care (EHC) plans") counts.
            seen.update(a for a in acronyms if headings and f"({a})" in piece)
            return piece
        return spell_out_text(piece, acronyms, seen, names, language)

    for markup in MARKUP.finditer(region):
        pieces.append(text(region[position : markup.start()]))
        tag = markup.group(0)
        pieces.append(tag)
        position = markup.end()
        if HEADING_OPEN.match(tag):
            headings += 1
        elif HEADING_CLOSE.match(tag):
            headings = max(headings - 1, 0)
        elif summary_divs and DIV_OPEN.match(tag):
            summary_divs += 1
        elif summary_divs and DIV_CLOSE.match(tag):
            summary_divs -= 1
        elif SUMMARY_OPEN.match(tag):
            summary_divs = 1
    pieces.append(text(region[position:]))
    return html[: main.start()] + "".join(pieces) + html[main.end() :]
