"""`/search?q=`: one search over the public site, in the reader's language. A GET form, so a
result page has an address that can be shared, bookmarked and opened without JavaScript."""

from flask import current_app, render_template, request

from ..domain.search import public as search_domain
from ..domain.shared.ids import page_number
from ..extensions import limiter
from ..i18n import current_language
from ..page_cache import public_page
from ..web import pagination_links
from . import bp


def _search_limit() -> str:
    return current_app.config["SEARCH_RATE_LIMIT"]


@bp.get("/search")
@limiter.limit(_search_limit)
@public_page
def search():
    typed = request.args.get("q", "")
    page = min(page_number(request.args.get("page")), 10_000)
    results = search_domain.search(typed, language=current_language(), page=page)
    return render_template(
        "public/search.html",
        results=results,
        searched="q" in request.args,
        pagination=pagination_links(results, "public.search", keep=("q",)),
    )
