"""Extensions are created once here and bound to an app in create_app."""

from flask import request
from flask_babel import Babel
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData

# Named constraints so Alembic can alter them on SQLite and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING))
migrate = Migrate()
login_manager = LoginManager()
babel = Babel()
csrf = CSRFProtect()
# Rendered public pages (app/page_cache.py): Redis when REDIS_URL is set, else each process's own.
cache = Cache()


def client_address() -> str:
    return get_remote_address() or request.remote_addr or "unknown"


limiter = Limiter(key_func=client_address, default_limits=[])
