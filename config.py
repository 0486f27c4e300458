"""Configuration classes, chosen by FLASK_CONFIG (development, testing, production)."""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _database_url(value: str | None) -> str | None:
    # Hosting platforms still hand out "postgres://"; SQLAlchemy needs the psycopg dialect named.
    if value and value.startswith("postgres://"):
        value = "postgresql://" + value[len("postgres://") :]
    if value and value.startswith("postgresql://"):
        value = "postgresql+psycopg://" + value[len("postgresql://") :]
    return value


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _database_url(os.environ.get("DATABASE_URL")) or (
        f"sqlite:///{INSTANCE_DIR / 'send_voice.sqlite'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Seconds to wait for PostgreSQL to accept a connection before the page says the service is
    # unavailable (app/database.py).
    DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))

    # The local area this deployment serves; everything else about it is data.
    AREA_NAME = os.environ.get("AREA_NAME", "Kent")
    SERVICE_NAME = os.environ.get("SERVICE_NAME", "SEND Voice")
    ORGANISATION_NAME = os.environ.get("ORGANISATION_NAME", "Kent County Council")
    CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "sendvoice@kent.example")
    CONTACT_PHONE = os.environ.get("CONTACT_PHONE", "03000 41 41 41")

    LANGUAGES = {"en": "English", "pl": "Polski", "ur": "اردو"}
    RTL_LANGUAGES = {"ur"}
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Europe/London"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGE_COOKIE = "lang"

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=1)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    WTF_CSRF_TIME_LIMIT = 60 * 60 * 4
    # Every message a form shows is our own, in our catalogues; WTForms' own catalogue (which
    # Flask-WTF would read from disk on every request) is not used.
    WTF_I18N_ENABLED = False

    # Staff sessions end after this long without a request, and this long after signing in
    # whatever happens; the page warns this many seconds before the idle limit.
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    SESSION_ABSOLUTE_HOURS = int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12"))
    SESSION_WARNING_SECONDS = 120

    # How many reverse proxies in front of the app set X-Forwarded-For/-Proto/-Host (ProxyFix).
    # 0 trusts none of those headers: right when the app faces the internet directly.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    # No X-RateLimit-* headers: working them out costs a storage round trip on every limited
    # request; a refused request still says when to come back (Retry-After, and on the page).
    RATELIMIT_HEADERS_ENABLED = False

    # Public pages that are the same for everyone are rendered once and served again until the
    # content changes (app/page_cache.py), and for this long at most: the bound on changes that
    # come with time (a survey opening at 09:00) and on counts of what people send. 0: never kept.
    PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
    # Flask-Caching: shared by every worker and instance in Redis when REDIS_URL is set, else
    # kept by each worker process (still right everywhere: pages are kept by content version).
    CACHE_TYPE = "RedisCache" if os.environ.get("REDIS_URL") else "SimpleCache"
    CACHE_REDIS_URL = os.environ.get("REDIS_URL")
    CACHE_KEY_PREFIX = "send-voice:page:"
    CACHE_DEFAULT_TIMEOUT = PAGE_CACHE_SECONDS
    CACHE_THRESHOLD = 500  # pages a process keeps (SimpleCache), about 25 MB
    SIGN_IN_RATE_LIMIT = "10 per minute;40 per hour"
    # /search per client address: far above what a person types, a brake on scripts.
    SEARCH_RATE_LIMIT = os.environ.get("SEARCH_RATE_LIMIT", "120 per minute")
    # Public POSTs per client address: "Tell us" sent, survey pages saved, surveys sent. Only
    # what is accepted counts (a form returned with problems does not).
    FEEDBACK_RATE_LIMIT = os.environ.get("FEEDBACK_RATE_LIMIT", "10 per hour")
    SURVEY_PAGE_RATE_LIMIT = os.environ.get("SURVEY_PAGE_RATE_LIMIT", "300 per hour")
    SURVEY_SEND_RATE_LIMIT = os.environ.get("SURVEY_SEND_RATE_LIMIT", "10 per hour")
    # Public forms sent sooner than this many seconds after they were shown ("Tell us"), or a
    # survey sent sooner after its first page, are treated as robots: a confirmation, nothing
    # stored. Lowered by env for the load test (bench/nothing_lost.py).
    FEEDBACK_MIN_SECONDS = float(os.environ.get("FEEDBACK_MIN_SECONDS", "3"))
    SURVEY_MIN_SECONDS = float(os.environ.get("SURVEY_MIN_SECONDS", "5"))
    # Failed sign-ins for one email address from one client address: each limit reached slows a
    # guesser down further. A stranger elsewhere cannot lock the real person out.
    SIGN_IN_FAILURE_LIMITS = "5 per 5 minutes;10 per hour;20 per day"
    # Staff have this long after the password to give the code from their authenticator app.
    TWO_STEP_PENDING_MINUTES = 10
    PASSWORD_MIN_LENGTH = 12
    INVITATION_VALID_HOURS = 72
    PASSWORD_RESET_VALID_MINUTES = 60

    MAIL_FROM = os.environ.get("MAIL_FROM", "SEND Voice <no-reply@sendvoice.kent.example>")
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "file")  # "file" or "smtp"
    MAIL_FILE_DIR = str(INSTANCE_DIR / "mail")
    SMTP_HOST = os.environ.get("SMTP_HOST", "localhost")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "25"))
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD")
    SMTP_STARTTLS = os.environ.get("SMTP_STARTTLS", "0") == "1"
    # Deliver queued email at the end of the request that queued it. Production runs
    # `flask outbox work` instead, so a slow mail server never slows a page.
    OUTBOX_DELIVER_AFTER_REQUEST = False
    OUTBOX_MAX_ATTEMPTS = 8
    # Build a queued survey spreadsheet (XLSX) at the end of the request that asked for it.
    # Production runs `flask exports work` instead, so no request waits while one is built.
    EXPORTS_BUILD_AFTER_REQUEST = False
    # Survey spreadsheets built in the background (every answer in them) are deleted this many
    # days after they were finished (the retention job).
    EXPORT_RETENTION_DAYS = int(os.environ.get("EXPORT_RETENTION_DAYS", "7"))

    # The service's address, for links in emails written outside a request (scheduled
    # commands) when SERVER_NAME is not set.
    SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:5000")
    # Contact details people leave are deleted after this many days (the retention job).
    CONTACT_RETENTION_DAYS = int(os.environ.get("CONTACT_RETENTION_DAYS", "365"))
    # The local area's districts, offered in "About you" (stored by name).
    DISTRICTS = [
        "Ashford",
        "Canterbury",
        "Dartford",
        "Dover",
        "Folkestone and Hythe",
        "Gravesham",
        "Maidstone",
        "Sevenoaks",
        "Swale",
        "Thanet",
        "Tonbridge and Malling",
        "Tunbridge Wells",
    ]
    # "Tell us" topics (app/domain/thread/feedback.py) and the areas of weakness, by number, that
    # each links as the starting point for coding. A coordinator changes the links in the inbox.
    FEEDBACK_TOPIC_AREAS = {
        "ehc_plan": [6],
        "health": [8, 4],
        "school": [2, 5],
        "moving_on": [4, 5],
        "other": [],
    }
    # The improvement plan's own name, as the public pages say it ("3 actions in the ...").
    PLAN_NAME = os.environ.get("PLAN_NAME", "Accelerated Progress Plan (APP)")
    # Acronyms spelled out the first time each public page uses them ("Kent County Council
    # (KCC)"). NHS is left as it is: GOV.UK style treats it as a word everyone knows.
    ACRONYMS = {
        "KCC": "Kent County Council",
        "APP": "Accelerated Progress Plan",
        "IASK": "Information, Advice and Support Kent",
        "SEND": "special educational needs and disabilities",
        "EHC": "education, health and care",
        "ICB": "Integrated Care Board",
        "CAMHS": "children and young people's mental health services",
        "SALT": "speech and language therapy",
        "ADHD": "attention deficit hyperactivity disorder",
        "PACT": "Parents and Carers Together",
        "SENCO": "special educational needs coordinator",
        "CQC": "Care Quality Commission",
    }
    # When people who leave an email address can expect a reply: this many working days (England
    # and Wales bank holidays excluded), said on the confirmation page and on /track.
    REPLY_WORKING_DAYS = int(os.environ.get("REPLY_WORKING_DAYS", "10"))
    # Who to contact now when someone writes something that suggests a child is at risk.
    SAFEGUARDING_CONTACT = {
        "name": "Kent Integrated Children's Services Front Door",
        "phone": "03000 41 11 11",
        "out_of_hours_phone": "03000 41 91 91",
    }
    # Names, emails and access needs of people who registered for an event are deleted this
    # many days after the event ends.
    EVENT_REGISTRATION_RETENTION_DAYS = int(
        os.environ.get("EVENT_REGISTRATION_RETENTION_DAYS", "30")
    )
    # Survey answers in progress that nobody sent are deleted this many days after they were
    # last changed (the retention job).
    SURVEY_DRAFT_RETENTION_DAYS = int(os.environ.get("SURVEY_DRAFT_RETENTION_DAYS", "7"))
    # Sent and failed emails (addresses, names, live links) are deleted this many days after
    # they were written; the client address in the audit log is blanked after AUDIT_IP_...
    OUTBOX_RETENTION_DAYS = int(os.environ.get("OUTBOX_RETENTION_DAYS", "14"))
    AUDIT_IP_RETENTION_DAYS = int(os.environ.get("AUDIT_IP_RETENTION_DAYS", "90"))
    # Published counts below this are shown as "fewer than 5" so nobody can be identified.
    SUPPRESS_BELOW = 5
    PREFERRED_URL_SCHEME = "http"
    PAGE_SIZE = 50

    # Where `flask assets` writes the static files with fingerprinted names, compressed, and
    # whether the app serves them from there (app/static_files.py). Development serves
    # app/static as it is edited instead.
    STATIC_BUILD_DIR = str(BASE_DIR / "build")
    SERVE_STATIC_BUILD = True

    # Personal data (names, email addresses, links that sign people in) must not be written to
    # disk by accident: only development and testing write email to files without being told.
    ALLOW_FILE_MAIL = os.environ.get("ALLOW_FILE_MAIL", "0") == "1"

    @classmethod
    def init_app(cls, app) -> None:
        """Settings that must be read when the app starts, not when this module is imported."""


# Secrets that are in this repository, so anyone can forge a session signed with them.
KNOWN_SECRET_KEYS = frozenset(
    {
        "development-only-not-secret",
        "testing-only-not-secret",
        "change-me",
        "changeme",
        "secret",
        "dev",
    }
)
SECRET_KEY_MIN_LENGTH = 32


def secret_key_problem(value: str | None) -> str | None:
    """Why a SECRET_KEY may not be used outside development and testing, or None."""
    if not value:
        return "SECRET_KEY is not set."
    if value in KNOWN_SECRET_KEYS or value.lower().startswith(("development-only", "testing-only")):
        return (
            "SECRET_KEY is a value published in the source code, so anyone could forge a session."
        )
    if len(value) < SECRET_KEY_MIN_LENGTH:
        return (
            f"SECRET_KEY is shorter than {SECRET_KEY_MIN_LENGTH} characters; "
            'make one with: python -c "import secrets; print(secrets.token_hex(32))"'
        )
    return None


class DevelopmentConfig(Config):
    DEBUG = True
    SECRET_KEY = Config.SECRET_KEY or "development-only-not-secret"
    OUTBOX_DELIVER_AFTER_REQUEST = True
    SERVE_STATIC_BUILD = False
    EXPORTS_BUILD_AFTER_REQUEST = True  # `make run` works without `flask exports work`


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-only-not-secret"
    SQLALCHEMY_DATABASE_URI = _database_url(os.environ.get("TEST_DATABASE_URL")) or "sqlite://"
    RATELIMIT_STORAGE_URI = "memory://"
    # Still Argon2id, at a cost that keeps a suite full of sign-ins fast. Never in production.
    PASSWORD_HASH_PARAMS = {"time_cost": 1, "memory_cost": 8 * 1024, "parallelism": 1}
    WTF_CSRF_ENABLED = False  # tests that check CSRF switch it back on
    CACHE_TYPE = "SimpleCache"  # each app object its own, like separate instances
    CACHE_REDIS_URL = None
    OUTBOX_DELIVER_AFTER_REQUEST = True
    EXPORTS_BUILD_AFTER_REQUEST = True
    SERVER_NAME = None


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def init_app(cls, app) -> None:
        """Refuse to start rather than run insecurely or against a throwaway database."""
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not os.environ.get(name)]
        if missing:
            raise RuntimeError(
                "Production configuration needs these environment variables: "
                + ", ".join(missing)
                + ". SECRET_KEY signs sessions and CSRF tokens; DATABASE_URL points at "
                "the PostgreSQL database. Set them and start again."
            )
        problem = secret_key_problem(os.environ["SECRET_KEY"])
        if problem:
            raise RuntimeError(f"{problem} Set a long random SECRET_KEY and start again.")
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
        app.config["SQLALCHEMY_DATABASE_URI"] = _database_url(os.environ["DATABASE_URL"])
        app.config["RATELIMIT_STORAGE_URI"] = os.environ.get("REDIS_URL") or "memory://"
        app.config["CACHE_REDIS_URL"] = os.environ.get("REDIS_URL")
        app.config["CACHE_TYPE"] = "RedisCache" if os.environ.get("REDIS_URL") else "SimpleCache"
        app.config["ALLOW_FILE_MAIL"] = os.environ.get("ALLOW_FILE_MAIL", "0") == "1"
        app.config["MAIL_BACKEND"] = os.environ.get("MAIL_BACKEND", "file")
        if app.config["MAIL_BACKEND"] == "file" and not app.config["ALLOW_FILE_MAIL"]:
            raise RuntimeError(
                "MAIL_BACKEND is 'file' (the default), which writes every email, with the names, "
                "addresses and sign-in links in it, to disk. Set MAIL_BACKEND=smtp with SMTP_HOST, "
                "or set ALLOW_FILE_MAIL=1 if that is really what you want, and start again."
            )
        app.config["TRUSTED_PROXIES"] = int(os.environ.get("TRUSTED_PROXIES", "0"))
        if not (os.environ.get("SITE_URL") or app.config.get("SERVER_NAME")):
            raise RuntimeError(
                "SITE_URL is not set. It is the service's public address (https://...), used in "
                "the links of emails the scheduled commands send (weekly summaries, openings); "
                "without it they would point at this machine. Set it and start again."
            )
        app.config["SITE_URL"] = os.environ.get("SITE_URL") or app.config["SITE_URL"]


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
