"""Form fields that more than one part of the product uses."""

from datetime import date

from flask_babel import gettext as _
from wtforms import Field
from wtforms.utils import unset_value

DATE_PARTS = ("day", "month", "year")


def _missing_message(missing: tuple[str, ...], label: str) -> str:
    """What to say when some parts of a date are missing, as in the GOV.UK date input pattern."""
    messages = {
        ("day",): lambda: _("%(label)s must include a day", label=label),
        ("month",): lambda: _("%(label)s must include a month", label=label),
        ("year",): lambda: _("%(label)s must include a year", label=label),
        ("day", "month"): lambda: _("%(label)s must include a day and month", label=label),
        ("day", "year"): lambda: _("%(label)s must include a day and year", label=label),
        ("month", "year"): lambda: _("%(label)s must include a month and year", label=label),
    }
    return messages[missing]()


class GovukDateField(Field):
    """A GOV.UK date input: three boxes named <name>-day, <name>-month and <name>-year.

    Empty is allowed (no date). Whatever was typed is kept in `parts` to show again. Give the
    field the day box's id (id="<name>-day") so the error summary links to it. With
    `after_2000`, earlier dates are refused: nothing in the service is older than that.
    """

    def __init__(self, label=None, validators=None, after_2000: bool = False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.after_2000 = after_2000
        self.parts = dict.fromkeys(DATE_PARTS, "")

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        self.data = None
        self.raw_data = []
        if formdata is None:
            return
        self.parts = {part: (formdata.get(f"{self.name}-{part}") or "").strip()[:20] for part in DATE_PARTS}
        self.raw_data = [self.parts[part] for part in DATE_PARTS]
        missing = tuple(part for part in DATE_PARTS if not self.parts[part])
        if len(missing) == 3:
            return
        label = str(self.label.text)
        if missing:
            self.process_errors.append(_missing_message(missing, label))
            return
        if not all(self.parts[part].isdigit() for part in DATE_PARTS):
            self.process_errors.append(_("%(label)s must be a real date", label=label))
            return
        if len(self.parts["year"]) != 4:
            self.process_errors.append(_("Year must include 4 numbers"))
            return
        try:
            value = date(int(self.parts["year"]), int(self.parts["month"]), int(self.parts["day"]))
        except ValueError:
            self.process_errors.append(_("%(label)s must be a real date", label=label))
            return
        if self.after_2000 and value.year < 2000:
            self.process_errors.append(_("%(label)s must be after 1 January 2000", label=label))
            return
        if not 1900 <= value.year <= 2999:
            self.process_errors.append(_("%(label)s must be a real date", label=label))
            return
        self.data = value

    def _value(self):
        return " ".join(self.raw_data)
