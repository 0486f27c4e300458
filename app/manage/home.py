from flask import render_template
from flask_login import current_user

from ..auth.session import ALL_STAFF, roles_required
from ..domain import plan
from . import bp


@bp.get("/")
@roles_required(*ALL_STAFF)
def home():
    return render_template(
        "manage/home.html",
        totals=plan.plan_status_counts(),
        role=current_user.role_enum,
    )
