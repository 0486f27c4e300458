"""The two ways the domain says no, so that every page shows a refusal the same way.

`Refused`: what was given cannot be accepted and nothing was saved. Each problem names the field
it is about, so the page shows the message next to that field ("" when it is about the change as
a whole). `NotAllowed`: this person may not do this at all (the page answers 403).
"""


class Refused(ValueError):
    """Nothing was saved, because of `problems`: (field, message) pairs, in the order found.

    Give a problem as a (field, message) pair, or as a message alone about `field`:
    `Refused(("title", msg), ("", other))` or `Refused(msg, field="title")`. Messages may be
    lazy translations; they are read in the reader's language when shown.
    """

    def __init__(self, *problems, field: str = ""):
        self.problems = [
            problem if isinstance(problem, tuple) else (field, problem) for problem in problems
        ]
        super().__init__("; ".join(str(message) for _field, message in self.problems))

    @property
    def field(self) -> str:
        """The field of the first problem ("" when it is about no field)."""
        return self.problems[0][0] if self.problems else ""

    @property
    def message(self) -> str:
        return str(self.problems[0][1]) if self.problems else ""

    @property
    def messages(self) -> list[str]:
        return [str(message) for _field, message in self.problems]

    def __str__(self) -> str:
        return "; ".join(self.messages)


class Problems:
    """Collects every problem with a change, so a person sees them all at once."""

    def __init__(self):
        self.items: list[tuple[str, str]] = []

    def add(self, field: str, message: str) -> None:
        self.items.append((field, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise Refused(*self.items)


class NotAllowed(Exception):
    """This person's role does not allow this at all; every page answers 403."""
