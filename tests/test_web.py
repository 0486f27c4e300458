"""Helpers the views share through app/web.py."""

from flask import session

from app.web import just_sent, private_page


def test_just_sent_is_only_what_the_session_holds_about_this_page(app):
    with app.test_request_context("/"):
        assert just_sent("sent", slug="a") is None  # nothing in the session
        session["sent"] = "not a dict"
        assert just_sent("sent", slug="a") is None
        session["sent"] = {"slug": "b", "reference": "R-1"}
        assert just_sent("sent", slug="a") is None  # about another page
        assert just_sent("sent", slug="b") == {"slug": "b", "reference": "R-1"}


def test_a_private_page_is_never_stored(app):
    with app.test_request_context("/"):
        response = private_page("errors/404.html", 404)
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"
