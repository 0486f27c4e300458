"""The statements a UK public body must publish: accessibility, privacy and cookies."""

import pytest

from ..conftest import DEMO_EMAILS, DEMO_PASSWORD
from ..helpers import heading, main_text, page, squash


def _links(soup) -> dict[str, str]:
    return {squash(a.get_text(" ")): a.get("href") for a in soup.find("main").find_all("a")}


def test_accessibility_statement_follows_the_regulations(client, app):
    response = client.get("/accessibility")
    assert response.status_code == 200
    assert heading(response) == f"Accessibility statement for {app.config['SERVICE_NAME']}"
    text = main_text(response)
    # Who runs it and what people should be able to do.
    assert f"This website is run by {app.config['ORGANISATION_NAME']}" in text
    assert "zoom in up to 400% without the text spilling off the screen" in text
    assert "using just a keyboard" in text
    assert "with JavaScript switched off" in text
    assert "Urdu pages laid out from right to left" in text
    # Honest about what is not accessible.
    assert "draft translations" in text and "qualified translators" in text
    assert "British Sign Language" in text and "easy read" in text
    # Feedback, with a response time.
    assert app.config["CONTACT_EMAIL"] in text and app.config["CONTACT_PHONE"] in text
    assert "10 working days" in text
    # Enforcement.
    assert "Equality and Human Rights Commission" in text
    assert "Equality Advisory and Support Service (EASS)" in text
    assert "Equality Commission for Northern Ireland" in text
    assert (
        "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations "
        "2018" in text
    )
    # Technical information and preparation.
    assert (
        "partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard"
        in text
    )
    assert "This statement was prepared on 23 November 2026" in text
    assert "axe-core" in text

    soup = page(response)
    sections = [squash(h.get_text()) for h in soup.find("main").find_all("h2")]
    assert sections == [
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website’s accessibility",
        "What we are doing to improve accessibility",
        "Preparation of this accessibility statement",
    ]
    links = _links(soup)
    assert (
        links["Equality Advisory and Support Service (EASS)"]
        == "https://www.equalityadvisoryservice.com/"
    )
    assert links[app.config["CONTACT_EMAIL"]] == f"mailto:{app.config['CONTACT_EMAIL']}"


def test_privacy_notice_names_controller_lawful_basis_rights_and_the_ico(client, app):
    response = client.get("/privacy")
    assert response.status_code == 200
    assert heading(response) == "Privacy notice"
    text = main_text(response)
    assert f"{app.config['ORGANISATION_NAME']} is the data controller" in text
    # What is collected, for staff and for the public.
    assert "work email address, role" in text
    assert "IP address" in text and "audit log" in text
    assert "You do not need an account" in text
    assert "we keep these contact details apart from what you said" in text
    # Lawful basis.
    assert "public task, Article 6(1)(e) of the UK GDPR" in text
    assert "Article 9(2)(g)" in text and "Schedule 1 to the Data Protection Act 2018" in text
    assert "We ask for your consent before we quote your words" in text
    # Sharing and retention.
    assert (
        "NHS Kent and Medway and schools: we share only anonymised or combined information" in text
    )
    assert "We never sell your information" in text
    assert "Safeguarding" in text
    assert "we keep it for 6 years" in text
    # Rights and complaints.
    for right in (
        "right of access",
        "right to rectification",
        "right to erasure",
        "right to restriction",
        "right to object",
    ):
        assert right in text
    assert "Data Protection Officer" in text
    assert "Information Commissioner’s Office (ICO)" in text
    assert "0303 123 1113" in text
    links = _links(page(response))
    assert links["ico.org.uk"].startswith("https://ico.org.uk/")
    assert links["Read about the cookies we use"] == "/cookies"


def test_cookies_page_lists_exactly_the_cookies_the_service_sets(client, app):
    response = client.get("/cookies")
    assert response.status_code == 200
    assert heading(response) == "Cookies"
    soup = page(response)
    table = soup.find("main").find("table")
    rows = {
        squash(row.find("th").get_text()): [squash(cell.get_text()) for cell in row.find_all("td")]
        for row in table.find("tbody").find_all("tr")
    }
    language_cookie = app.config["LANGUAGE_COOKIE"]
    assert set(rows) == {"session", language_cookie}
    assert "signed in" in rows["session"][0] and "forgery" in rows["session"][0]
    assert rows["session"][1] == "When you close your browser, or 8 hours after you sign in"
    assert "language you chose" in rows[language_cookie][0]
    assert rows[language_cookie][1] == "1 year"
    text = main_text(response)
    assert "We do not use analytics cookies, advertising cookies" in text
    assert "there is no cookie banner" in text


def test_cookies_page_matches_what_the_app_really_does(client, app):
    """The statement says the session lasts 8 hours and 'remember me' is not used."""
    assert app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() == 8 * 3600
    response = client.post(
        "/auth/sign-in", data={"email": DEMO_EMAILS["officer"], "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    cookies = [header.split("=")[0] for header in response.headers.getlist("Set-Cookie")]
    assert "session" in cookies
    assert "remember_token" not in cookies


@pytest.mark.parametrize("url", ["/", "/areas", "/accessibility", "/privacy", "/cookies"])
def test_footer_links_to_all_three_statements(client, url):
    response = client.get(url)
    assert response.status_code == 200
    footer = page(response).find("footer")
    links = {squash(a.get_text()): a.get("href") for a in footer.find_all("a")}
    assert links["Accessibility statement"] == "/accessibility"
    assert links["Privacy notice"] == "/privacy"
    assert links["Cookies"] == "/cookies"
    for href in ("/accessibility", "/privacy", "/cookies"):
        assert client.get(href).status_code == 200


@pytest.mark.parametrize("url", ["/accessibility", "/privacy", "/cookies"])
@pytest.mark.parametrize("language", ["pl", "ur"])
def test_statements_render_in_every_language(client, url, language):
    response = client.get(url, headers={"Accept-Language": language})
    assert response.status_code == 200
    html = page(response).find("html")
    assert html["lang"] == language
    assert page(response).find("h1") is not None
