"""SEND Voice: the application factory."""

import logging
import os

from flask import Flask
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from config import CONFIGS, INSTANCE_DIR, secret_key_problem

from .extensions import babel, cache, csrf, db, limiter, login_manager, migrate


def create_app(config_name: str | None = None) -> Flask:
    config_name = config_name or os.environ.get("FLASK_CONFIG", "development")
    config = CONFIGS[config_name]
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.config.from_object(config)
    config.init_app(app)
    _refuse_unsafe_start(app, config_name)
    os.makedirs(app.instance_path, exist_ok=True)

    from .page_cache import KeptPages
    from .static_files import init_static_files

    # Inside out: kept public pages, then static files, then (when trusted) the proxy's headers.
    app.wsgi_app = KeptPages(app, app.wsgi_app)
    init_static_files(app)
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        # Rate limits, the audit log and HSTS then see the client's address and scheme.
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )

    # GOV.UK Frontend macros live in packages; our own templates come first.
    app.jinja_loader = ChoiceLoader(
        [
            app.jinja_loader,
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    from . import models  # noqa: F401  (register tables with the metadata)
    from .database import configure_engines, set_engine_options

    set_engine_options(app)
    db.init_app(app)
    configure_engines(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    cache.init_app(app)

    from .i18n import init_i18n

    init_i18n(app, babel)

    from .auth.session import init_login

    init_login(app, login_manager)

    from .web import init_web

    init_web(app)

    from .auth import bp as auth_bp
    from .manage import bp as manage_bp
    from .public import bp as public_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(manage_bp, url_prefix="/manage")

    from .cli import register_cli

    register_cli(app)
    return app


LOCAL_CONFIGS = ("development", "testing")


def _refuse_unsafe_start(app: Flask, config_name: str) -> None:
    """Outside development and testing: no published or missing secret, and say when rate limits
    would be counted separately by each worker."""
    if config_name in LOCAL_CONFIGS:
        return
    problem = secret_key_problem(app.config.get("SECRET_KEY"))
    if problem:
        raise RuntimeError(f"{problem} Set a long random SECRET_KEY and start again.")
    if app.config.get("RATELIMIT_STORAGE_URI", "memory://").startswith("memory://"):
        logging.getLogger(__name__).warning(
            "REDIS_URL is not set: each worker process keeps its own in-memory rate-limit counts, "
            "so with several workers or instances the sign-in limits are multiplied. Set "
            "REDIS_URL to share them."
        )
