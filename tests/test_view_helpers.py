"""The view-side helpers: showing the domain's refusals next to fields, reading a form then
saving, and the GOV.UK pagination links."""

from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField

from app.domain.shared.errors import NotAllowed, Refused
from app.domain.shared.paging import Page
from app.forms import show_problems, submit
from app.web import pagination_links


class _Form(FlaskForm):
    class Meta:
        csrf = False

    title = StringField("Title")
    number = IntegerField("Number")


def test_show_problems_puts_each_message_next_to_its_field(app):
    with app.test_request_context(method="POST", data={"title": "x"}):
        form = _Form()
        refused = Refused(
            ("title", "Enter a better title"), ("area_number", "Too big"), ("", "Not now")
        )
        summary = show_problems(form, refused, {"area_number": "number"})
        assert form.title.errors == ["Enter a better title"]
        assert form.number.errors == ["Too big"]
        assert summary == [{"text": "Not now"}]


def test_show_problems_puts_messages_about_no_field_next_to_the_default(app):
    with app.test_request_context(method="POST"):
        form = _Form()
        assert show_problems(form, Refused("Not now"), default="title") == []
        assert form.title.errors == ["Not now"]


def test_submit_saves_only_what_could_be_read_and_shows_every_problem(app):
    calls = []

    def check():
        calls.append("check")
        raise Refused("Enter a title", field="title")

    def save():
        calls.append("save")
        return "saved"

    with app.test_request_context(method="POST", data={"title": "", "number": "forty"}):
        form = _Form()
        assert submit(form, check, save) is None
        assert calls == ["check"]
        assert form.title.errors == ["Enter a title"] and form.number.errors
    with app.test_request_context(method="POST", data={"title": "T", "number": "4"}):
        assert submit(_Form(), check, save) == "saved"
    with app.test_request_context(method="GET"):
        assert submit(_Form(), check, save) is None
    assert calls == ["check", "save"]


def test_pagination_links_keep_the_filters_asked_for(app):
    with app.test_request_context("/you-said-we-did?status=done&junk=1&page=2"):
        assert pagination_links(Page([], 5, 1, 1), "public.responses") is None
        links = pagination_links(Page([], 200, 2, 10), "public.responses", keep=("status",))
    assert [item.get("number") for item in links["items"]] == [1, 2, 3, None, 10]
    assert links["items"][1]["current"] is True
    assert links["previous"]["href"] == "/you-said-we-did?status=done&page=1"
    assert links["next"]["href"] == "/you-said-we-did?status=done&page=3"


def test_not_allowed_is_answered_with_403(app):
    with app.test_request_context("/manage/"):
        response = app.make_response(app.handle_user_exception(NotAllowed("no")))
    assert response.status_code == 403
