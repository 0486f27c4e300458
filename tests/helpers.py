"""Helpers that read pages the way a person would: headings, errors, what is in the main area."""

import re

from bs4 import BeautifulSoup
from sqlalchemy import event


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def main_text(response_or_soup) -> str:
    soup = (
        response_or_soup if isinstance(response_or_soup, BeautifulSoup) else page(response_or_soup)
    )
    return squash(soup.find("main").get_text(" "))


def heading(response_or_soup) -> str:
    soup = (
        response_or_soup if isinstance(response_or_soup, BeautifulSoup) else page(response_or_soup)
    )
    return squash(soup.find("h1").get_text(" "))


def error_summary(response_or_soup) -> list[str]:
    """The messages in the GOV.UK error summary, in order."""
    soup = (
        response_or_soup if isinstance(response_or_soup, BeautifulSoup) else page(response_or_soup)
    )
    summary = soup.select_one(".govuk-error-summary")
    if summary is None:
        return []
    return [squash(a.get_text()) for a in summary.select(".govuk-error-summary__list a")]


def error_summary_links(response_or_soup) -> dict[str, str]:
    """{message: href} so a test can check each error points at its field."""
    soup = (
        response_or_soup if isinstance(response_or_soup, BeautifulSoup) else page(response_or_soup)
    )
    return {
        squash(a.get_text()): a.get("href") for a in soup.select(".govuk-error-summary__list a")
    }


def field_error(response_or_soup, field_id: str) -> str | None:
    """The error message shown next to a field (the GOV.UK error message for that field)."""
    soup = (
        response_or_soup if isinstance(response_or_soup, BeautifulSoup) else page(response_or_soup)
    )
    message = soup.find(id=f"{field_id}-error")
    if message is None:
        return None
    text = squash(message.get_text(" "))
    return re.sub(r"^Error:\s*", "", text)


def field_value(response_or_soup, name: str) -> str | None:
    """What a text input or textarea shows, so tests can check typed input is kept."""
    soup = (
        response_or_soup if isinstance(response_or_soup, BeautifulSoup) else page(response_or_soup)
    )
    element = soup.find(attrs={"name": name})
    if element is None:
        return None
    if element.name == "textarea":
        return element.get_text()
    if element.name == "select":
        chosen = element.find("option", selected=True)
        return chosen.get("value") if chosen else None
    return element.get("value")


def notification(response_or_soup) -> str:
    soup = (
        response_or_soup if isinstance(response_or_soup, BeautifulSoup) else page(response_or_soup)
    )
    banner = soup.select_one(".govuk-notification-banner")
    return squash(banner.get_text(" ")) if banner else ""


class QueryCounter:
    """Counts SQL statements sent to the database while the block runs."""

    def __init__(self, engine):
        self.engine = engine
        self.count = 0
        self.statements: list[str] = []

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        if statement.strip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            return
        self.count += 1
        self.statements.append(statement)

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._before)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._before)
        return False
