"""A person's browser, for the load and resilience scripts: its own cookie jar, forms read from
the real HTML (every hidden field, the CSRF token and any idempotency key included), redirects
followed, and a button pressed again when the answer was cut off or was a server error.

Nothing here knows the app's code: it sees what a browser sees.
"""

import http.client
import http.cookiejar
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

from bench.harness import AnySchemeCookies

# The service's own pages for these answers (app/templates/errors).
UNAVAILABLE_HEADING = "Sorry, the service is unavailable"
TRACEBACK_SIGNS = ("Traceback (most recent call last)", 'File "/', "sqlalchemy.exc", "psycopg.")
SERVICE_PAGE = "503 (the service's page)"
REFERENCE = re.compile(r"\b[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}\b")


# Reading pages -------------------------------------------------------------------------------


@dataclass
class Field:
    tag: str  # input, textarea, select, button
    kind: str  # the input's type ("text", "radio", ...); "textarea", "select", "submit"
    name: str
    value: str = ""
    checked: bool = False
    options: list[tuple[str, bool]] = field(default_factory=list)  # a select's (value, selected)


@dataclass
class Form:
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)

    def names(self) -> list[str]:
        seen = []
        for f in self.fields:
            if f.name and f.name not in seen:
                seen.append(f.name)
        return seen

    def as_shown(self) -> list[tuple[str, str]]:
        """What the browser sends when the button is pressed without changing anything."""
        pairs = []
        for f in self.fields:
            if not f.name or f.kind in ("submit", "button", "reset", "image"):
                continue
            if f.kind in ("radio", "checkbox"):
                if f.checked:
                    pairs.append((f.name, f.value or "on"))
            elif f.kind == "select":
                chosen = [v for v, selected in f.options if selected] or [
                    v for v, _selected in f.options[:1]
                ]
                pairs.extend((f.name, v) for v in chosen[:1])
            else:
                pairs.append((f.name, f.value))
        return pairs

    def hidden(self) -> list[tuple[str, str]]:
        return [(f.name, f.value) for f in self.fields if f.kind == "hidden" and f.name]


class PageReader(HTMLParser):
    """The forms on a page, with their fields and what is already filled in, and the <h1>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.h1 = ""
        self._form: Form | None = None
        self._textarea: Field | None = None
        self._select: Field | None = None
        self._option: list | None = None
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "h1":
            self._in_h1 = True
        elif tag == "form":
            self._form = Form(a.get("action", ""), (a.get("method") or "get").lower())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            self._form.fields.append(
                Field(
                    "input",
                    (a.get("type") or "text").lower(),
                    a.get("name", ""),
                    a.get("value", ""),
                    "checked" in a,
                )
            )
            if a.get("inputmode") == "numeric" and self._form.fields[-1].kind == "text":
                self._form.fields[-1].kind = "numeric"
        elif tag == "textarea":
            self._textarea = Field("textarea", "textarea", a.get("name", ""))
            self._form.fields.append(self._textarea)
        elif tag == "select":
            self._select = Field("select", "select", a.get("name", ""))
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
            self._select.options.append((a.get("value") or "", "selected" in a))
        elif tag == "button":
            kind = (a.get("type") or "submit").lower()
            self._form.fields.append(Field("button", kind, a.get("name", ""), a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False
        elif tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._in_h1:
            self.h1 += data
        if self._textarea is not None:
            self._textarea.value += data


@dataclass
class Page:
    status: int
    url: str
    html: str
    forms: list[Form]
    h1: str

    @property
    def path(self) -> str:
        return urllib.parse.urlsplit(self.url).path

    def form(self) -> Form:
        """The page's main form: the POST form with the most fields (not the header search)."""
        posts = [f for f in self.forms if f.method == "post"]
        if not posts:
            raise Refused(f"No form to send on {self.url} (heading: {self.h1.strip()!r})")
        return max(posts, key=lambda f: len(f.fields))

    def reference(self) -> str | None:
        found = REFERENCE.search(self.html)
        return found.group(0) if found else None


def read_page(status: int, url: str, body: bytes) -> Page:
    html = body.decode("utf-8", "replace")
    reader = PageReader()
    reader.feed(html)
    return Page(status, url, html, reader.forms, " ".join(reader.h1.split()))


# Talking to the service ---------------------------------------------------------------------


class Refused(Exception):
    """The service answered, but not as a person expects (a form sent back, a 4xx)."""


class GaveUp(Exception):
    """Pressed again and again until the deadline, never acknowledged."""


@dataclass
class Answer:
    """One try: the page, or why there was none (`status` is 0 for a cut-off connection)."""

    page: Page | None
    status: int
    cut_off: str = ""


CUT_OFF = (
    ConnectionError,
    http.client.HTTPException,  # RemoteDisconnected, IncompleteRead, BadStatusLine
    socket.timeout,
    TimeoutError,
)


class Log:
    """What every visitor of a run saw that was not a page: answers by status, with when."""

    def __init__(self):
        self.lock = threading.Lock()
        self.errors: Counter = Counter()
        self.timeline: list[tuple[float, str]] = []
        self.requests = 0

    def count_request(self) -> None:
        with self.lock:
            self.requests += 1

    def record(self, what: str) -> None:
        with self.lock:
            self.errors[what] += 1
            self.timeline.append((time.monotonic(), what))


def status_label(answer: Answer) -> str:
    if answer.status == 0:
        return f"cut off ({answer.cut_off})"
    if answer.status == 503 and answer.page and answer.page.h1 == UNAVAILABLE_HEADING:
        return SERVICE_PAGE
    if answer.page and any(sign in answer.page.html for sign in TRACEBACK_SIGNS):
        return f"{answer.status} (with a traceback)"
    return str(answer.status)


class Visitor:
    """One person at one browser."""

    def __init__(self, base: str, log: Log | None = None, deadline: float = 90.0):
        self.base = base
        self.log = log or Log()
        self.deadline = deadline
        self.jar = http.cookiejar.CookieJar(policy=AnySchemeCookies())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def at(self, base: str) -> "Visitor":
        """The same browser (the same cookies) talking to another address of the service."""
        other = Visitor(base, self.log, self.deadline)
        other.jar, other.opener = self.jar, self.opener
        return other

    def url(self, path_or_url: str) -> str:
        return urllib.parse.urljoin(self.base + "/", path_or_url)

    def once(self, url: str, data: list[tuple[str, str]] | None = None) -> Answer:
        """One request (a POST when `data` is given), redirects followed."""
        self.log.count_request()
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.url(url), data=body)
        try:
            with self.opener.open(request, timeout=60) as response:
                return Answer(read_page(response.status, response.geturl(), response.read()), 200)
        except urllib.error.HTTPError as error:
            try:
                content = error.read()
            except CUT_OFF as cut:
                return Answer(None, 0, type(cut).__name__)
            return Answer(read_page(error.code, error.geturl(), content), error.code)
        except urllib.error.URLError as error:
            return Answer(None, 0, type(error.reason).__name__)
        except CUT_OFF as cut:
            return Answer(None, 0, type(cut).__name__)

    def until_answered(self, url: str, data: list[tuple[str, str]] | None = None) -> Page:
        """As a person would: when the answer is cut off, or a server error, or "too many",
        wait a little and press the button again (the same form, the same hidden fields)."""
        started = time.monotonic()
        pause = 0.1
        while True:
            answer = self.once(url, data)
            if answer.page is not None and answer.status < 400:
                return answer.page
            self.log.record(status_label(answer))
            if answer.status and answer.status < 500 and answer.status != 429:
                raise Refused(
                    f"{answer.status} from {url}: {answer.page.h1 if answer.page else ''}"
                )
            if time.monotonic() - started > self.deadline:
                raise GaveUp(f"{url}: still {status_label(answer)} after {self.deadline:.0f}s")
            time.sleep(pause)
            pause = min(pause * 2, 2.0)

    def send_and_lose_the_answer(self, page: Page, pairs: list[tuple[str, str]]) -> None:
        """Send the page's main form, then drop the connection without reading the answer: the
        service gets the whole request, the person sees nothing (a train going into a tunnel)."""
        form = page.form()
        url = urllib.parse.urljoin(page.url, form.action or page.url)
        body = urllib.parse.urlencode(pairs).encode()
        request = urllib.request.Request(
            url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        self.jar.add_cookie_header(request)
        parts = urllib.parse.urlsplit(url)
        self.log.count_request()
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            connection.request("POST", target, body, dict(request.header_items()))
        except CUT_OFF:
            pass
        finally:
            connection.close()

    def get(self, url: str) -> Page:
        return self.until_answered(url)

    def send(self, page: Page, pairs: list[tuple[str, str]]) -> Page:
        """Send the page's main form with these values (its hidden fields are already in)."""
        form = page.form()
        return self.until_answered(urllib.parse.urljoin(page.url, form.action or page.url), pairs)


# Filling forms in ---------------------------------------------------------------------------

QUESTION = re.compile(r"^q(\d+)(?:-(day|month|year))?$")
DATE_PART = {"day": "1", "month": "9", "year": "2025"}
LEFT_EMPTY = {"website", "email"}  # the robot trap; no email address, so no email is queued


def fill_in(form: Form, marker: str) -> tuple[list[tuple[str, str]], set[int]]:
    """Answer everything on the form the way one careful person would: the first choice of
    every question, the first item of every list, `marker` in every box to type in (so each
    answer can be found in the database), the robot trap left empty. Returns what is sent and
    the survey questions answered (by id, from the field names `q<id>`)."""
    pairs: list[tuple[str, str]] = list(form.hidden())
    answered: set[int] = set()
    chosen: set[str] = set()
    for f in form.fields:
        if not f.name or f.kind in ("hidden", "submit", "button", "reset", "image"):
            continue
        question = QUESTION.match(f.name)
        value = None
        if f.kind in ("radio", "checkbox"):
            if f.name not in chosen:
                chosen.add(f.name)
                value = f.value
        elif f.kind == "select":
            options = [v for v, _selected in f.options if v]
            value = options[0] if options else None
        elif f.name in LEFT_EMPTY or f.name.endswith("-other"):
            value = ""
        elif question and question.group(2):
            value = DATE_PART[question.group(2)]
        elif f.kind in ("numeric", "number"):
            value = "3"
        else:
            value = f"{marker} It took too long and nobody told us what was happening."
        if value is None:
            continue
        pairs.append((f.name, value))
        if question and value:
            answered.add(int(question.group(1)))
    return pairs, answered
