"""gunicorn's settings for SEND Voice in production: `gunicorn -c gunicorn.conf.py wsgi:app`
(gunicorn also reads this file by itself when started in this folder). docs/production.md says
how the service is run; GUNICORN_CMD_ARGS (e.g. "--timeout 60") overrides any setting here.
"""

import multiprocessing
import os
import re

from gunicorn import glogging

# Where to listen. BIND wins ("unix:/run/send-voice.sock", "10.0.0.5:8000"); a platform that
# hands out PORT gets every interface on it; otherwise only the reverse proxy on this machine
# can reach the app.
bind = os.environ.get("BIND") or (
    f"0.0.0.0:{os.environ['PORT']}" if os.environ.get("PORT") else "127.0.0.1:8000"
)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use, not the machine's
    except AttributeError:
        return multiprocessing.cpu_count()


# Sync workers, 2 x cores + 1: each request has a process to itself while it waits on the
# database, which is how the figures were measured. WEB_CONCURRENCY overrides the
# count (a container limited by CPU quota rather than by cores should set it).
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * _cores() + 1)

# The app is built once, before the workers are forked: a configuration that refuses to start
# (no SECRET_KEY, file mail) stops gunicorn at once with its reason, workers share the loaded
# code's memory, and a worker restarted by max_requests is a cheap fork. Building the app opens
# no database connection (tests/test_gunicorn_conf.py checks), so no worker inherits one.
# A new release therefore needs a restart, not a HUP.
preload_app = True

# A request still running after `timeout` seconds has its worker killed and replaced (the
# person sees the proxy's error page); on a restart or SIGTERM, workers get `graceful_timeout`
# seconds to finish the requests they have. Keep the proxy's read timeout a little longer.
timeout = 30
graceful_timeout = 30

# Each worker is replaced after about twenty thousand requests, the jitter spreading the
# replacements so that workers never restart together: whatever a long-lived process
# accumulates (memory, a leaked handle) never grows for long, while a worker lives long enough
# (minutes at a busy hour) to keep its copies of the public pages warm (app/page_cache.py).
max_requests = 20000
max_requests_jitter = 2000

# The worker heartbeat file on shared memory when there is some: a container's disk that
# stalls must not make healthy workers look dead.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# No control socket: the service manager starts and stops gunicorn with signals, and several
# instances on one machine would otherwise share one socket path in the home directory.
control_socket_disable = True

# X-Forwarded-* headers are the app's business alone: ProxyFix trusts exactly TRUSTED_PROXIES
# hops of them (app/__init__.py). gunicorn's own trust is switched off, so a client can never
# make gunicorn call a plain-HTTP request secure, whatever address it comes from.
forwarded_allow_ips = ""
secure_scheme_headers = {}

# Logs to standard output and standard error, for the service manager to keep.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
# Client address (the real one when TRUSTED_PROXIES is right, as ProxyFix sets it before this
# line is written), time, method, path without the query string, status, bytes, milliseconds,
# browser. No referrer and no query string: either can carry a link's secret.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms "%(a)s"'

# A path segment like the secret in a link that signs someone in or manages a subscription
# (secrets.token_urlsafe(32): 43 characters, with capitals; slugs have none).
LINK_SECRET = re.compile(r"(?<=/)(?=[^/]*[A-Z])[A-Za-z0-9_-]{32,}(?=/|$)")


class AccessLogger(glogging.Logger):
    """Access log lines never hold a link's secret: personal data and the links that sign people
    in are not written to disk (config.py, ALLOW_FILE_MAIL)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = LINK_SECRET.sub("[secret]", atoms["U"] or "")
        atoms["r"] = f"{atoms['m']} {atoms['U']} {atoms['H']}"
        atoms["f"] = "-"
        atoms["q"] = "-"
        return atoms


logger_class = AccessLogger


def on_starting(server):
    """Say so when the app listens only on this machine yet trusts no proxy: every visitor
    would then share the proxy's address, and so its rate limits."""
    addresses = server.cfg.bind  # as given on the command line, else `bind` above
    behind_a_proxy = all(
        address.startswith(("127.", "localhost", "[::1]", "unix:")) for address in addresses
    )
    if behind_a_proxy and os.environ.get("TRUSTED_PROXIES", "0") == "0":
        server.log.warning(
            "gunicorn listens on %s, so a reverse proxy is in front, but TRUSTED_PROXIES is 0: "
            "every visitor will look like the proxy to the rate limits and the audit log. Set "
            "TRUSTED_PROXIES=1 (one proxy) and start again.",
            ", ".join(addresses),
        )
