"""Hostile input in a real browser, with the Content Security Policy switched off (the browser
contexts bypass CSP), so escaping alone is what stands between a payload and the reader.

Hostile text is sent through the public and staff forms that store what people type, then every
catalogued page, public and staff, is opened: no payload script runs (window.__pwned stays
undefined and no dialog opens), no payload element reaches the DOM, and nothing answers 500.
"""

from werkzeug.datastructures import MultiDict

from tests.conftest import sign_in_as
from tests.form_targets import role_for, url_for_form
from tests.helpers import page as soup_of
from tests.test_hostile_input import FORMULAS, MARKUP, _form_data

from . import pages

# Forms that add what people type (and change nothing another browser test relies on).
FORMS = {
    None: [("/feedback", "public.feedback"), ("/subscribe", "public.subscribe")],
    "admin": [
        ("/manage/themes", "manage.themes_create"),
        ("/manage/plan/areas/new", "manage.new_area"),
        ("/manage/responses/new", "manage.response_new"),
        ("/manage/events/<int:event_id>/notes", "manage.event_notes"),
    ],
}

PAYLOAD_IN_DOM = """() => {
  const found = [];
  if (window.__pwned !== undefined) found.push("window.__pwned was set");
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    if (tag === "pwned-tag" || tag === "math" || tag === "mi") found.push("element " + tag);
    for (const attr of el.attributes) {
      if (attr.name.startsWith("on") && attr.value.includes("__pwned"))
        found.push(tag + " " + attr.name);
      if (/^(href|src|action|formaction|xlink:href)$/.test(attr.name)
          && /^\\s*(javascript|data):/i.test(attr.value))
        found.push(tag + " " + attr.name + "=" + attr.value);
    }
  }
  return found;
}"""


def _send_hostile_text(app):
    app.config["FEEDBACK_MIN_SECONDS"] = 0
    stored = []
    for role, forms in FORMS.items():
        client = app.test_client()
        if role:
            sign_in_as(client, role)
        for rule, endpoint in forms:
            with app.app_context():
                url = url_for_form(app, rule, endpoint)
            form_page = client.get(url)
            if form_page.status_code == 405:
                form_page = client.get(url.rsplit("/", 1)[0])
            for payloads in (MARKUP, FORMULAS):
                data = _form_data(soup_of(form_page), payloads, url)
                response = client.post(url, data=MultiDict(data))
                assert response.status_code < 500, f"POST {url} answered {response.status_code}"
                stored.append((endpoint, response.status_code))
    return stored


def test_no_hostile_text_runs_or_becomes_markup_on_any_page(live_app, live_server, open_page):
    stored = _send_hostile_text(live_app)
    assert ("public.feedback", 302) in stored and ("manage.response_new", 302) in stored, stored
    found = pages.catalogue(live_app)
    problems, dialogs = [], []
    visitors = {}
    for catalogued in found.pages:
        if any("token" in argument for argument in catalogued.arguments):
            continue
        role = role_for(catalogued.roles) if catalogued.section == "staff" else None
        if role not in visitors:
            visitors[role] = open_page(role=role)
            visitors[role].on(
                "dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss())
            )
        browser_page = visitors[role]
        path = pages.url_for_page(live_app, catalogued)
        response = browser_page.goto(path)
        if response.status >= 500:
            problems.append(f"{path} answered {response.status}")
            continue
        problems += [f"{path}: {p}" for p in browser_page.evaluate(PAYLOAD_IN_DOM)]
    assert not dialogs, f"a payload opened a dialog: {dialogs}"
    assert not problems, "\n".join(problems[:40])
