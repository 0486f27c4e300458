"""A form filled in as a person would, from the page's real HTML: every field they can see gets a
valid value (the first real choice of each radio group, select and checkbox group; text, email,
number and date parts typed), hidden fields keep what the page put there (the CSRF token, the
signed start time), and what a person cannot see (the robot trap, aria-hidden) is left empty.
The benchmark POSTs the result; the smoke test checks it on the real forms."""

import urllib.parse

from bs4 import BeautifulSoup

TEXT = "The caseworker explained the next steps clearly and rang back when she said she would."
EMAIL = "parent@example.org"
NUMBER = "3"
DATE_PARTS = {"day": "12", "month": "3", "year": "2024"}
NO_ANSWER = {"", "none"}  # "Prefer not to say" and empty choices are not what the run sends


def _hidden_from_people(tag) -> bool:
    return any(parent.get("aria-hidden") == "true" for parent in tag.parents if parent.name)


def _typed(tag) -> str:
    name = tag.get("name", "")
    kind = (tag.get("type") or "text").lower()
    part = name.rsplit("-", 1)[-1]
    if part in DATE_PARTS and "-" in name:
        return DATE_PARTS[part]
    if kind == "email" or "email" in name:
        return EMAIL
    if kind == "number" or tag.get("inputmode") == "numeric":
        return NUMBER
    if kind == "date":
        return "2024-03-12"
    return TEXT


def the_form(html: str):
    """The page's main POST form: the one with the most fields."""
    forms = [
        form
        for form in BeautifulSoup(html, "html.parser").find_all("form")
        if (form.get("method") or "get").lower() == "post"
    ]
    if not forms:
        raise ValueError("The page has no POST form")
    return max(forms, key=lambda form: len(form.find_all(["input", "textarea", "select"])))


def fill(html: str) -> tuple[str | None, list[tuple[str, str]]]:
    """(the form's action, or None for the page itself; the fields as a person sends them)."""
    form = the_form(html)
    fields: list[tuple[str, str]] = []
    chosen: set[str] = set()
    for tag in form.find_all(["input", "textarea", "select"]):
        name = tag.get("name")
        if not name or tag.has_attr("disabled"):
            continue
        kind = (tag.get("type") or "text").lower() if tag.name == "input" else tag.name
        if kind == "hidden":
            fields.append((name, tag.get("value", "")))
        elif _hidden_from_people(tag):
            fields.append((name, ""))
        elif kind in ("radio", "checkbox"):
            value = tag.get("value", "on")
            if name not in chosen and value.lower() not in NO_ANSWER:
                chosen.add(name)
                fields.append((name, value))
        elif kind == "select":
            options = [o.get("value", o.get_text()) for o in tag.find_all("option")]
            real = [value for value in options if value.lower() not in NO_ANSWER]
            fields.append((name, real[0] if real else ""))
        elif kind in ("submit", "button", "image", "reset", "file"):
            continue
        else:
            fields.append((name, _typed(tag)))
    return form.get("action") or None, fields


def body(html: str) -> tuple[str | None, str]:
    """(the form's action; its fields url-encoded, as a browser sends them)."""
    action, fields = fill(html)
    return action, urllib.parse.urlencode(fields)
