"""What every benchmark does the same way: serve an app under gunicorn on 127.0.0.1, sign in
through the real form (CSRF on, as in production), time pages from a thread pool, and count each
page's SQL queries in-process. The scripts beside this one build their own data and say which
pages to time; they read these helpers rather than each keeping a copy."""

import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_ENV = {
    "SECRET_KEY": "bench-only-throwaway-key-for-a-local-benchmark",
    "SITE_URL": "http://127.0.0.1",
    "FLASK_CONFIG": "production",
    "ALLOW_FILE_MAIL": "1",  # nothing is sent: production refuses the file backend otherwise
}


def bench_env(database_url: str) -> dict:
    """The environment the benchmarked app runs with: production, this database."""
    return dict(os.environ, DATABASE_URL=database_url, **BENCH_ENV)


def as_after_autovacuum(engine) -> None:
    """On PostgreSQL, what autovacuum would have done in production after a bulk load: the
    planner's statistics and the visibility map (this machine's PostgreSQL runs without
    autovacuum, and a planner without statistics guesses plans no production database runs)."""
    from sqlalchemy import text

    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AnySchemeCookies(http.cookiejar.DefaultCookiePolicy):
    """Production cookies are Secure; a benchmark talks plain HTTP to 127.0.0.1 only."""

    def return_ok_secure(self, cookie, request):
        return True


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    if not found:
        raise RuntimeError("No CSRF token on the sign-in page")
    return found.group(1)


def _demo_email(role: str) -> str:
    from app.demo import kent

    return next(e for e, _name, found_role, _org in kent.DEMO_USERS if found_role == role)


def sign_in(base: str, role: str = "coordinator") -> str:
    """Sign in as a demo member of staff through the form; returns the Cookie header to send."""
    from app.demo import kent

    jar = http.cookiejar.CookieJar(policy=AnySchemeCookies())
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + "/auth/sign-in", timeout=30) as response:
        token = csrf_token(response.read().decode())
    data = urllib.parse.urlencode(
        {"csrf_token": token, "email": _demo_email(role), "password": kent.DEMO_PASSWORD}
    ).encode()
    request = urllib.request.Request(base + "/auth/sign-in", data=data)
    with opener.open(request, timeout=30) as response:
        if "/manage" not in response.geturl():
            raise RuntimeError(f"Sign-in failed: ended at {response.geturl()}")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


@dataclass
class Counted:
    status: int
    queries: int
    seconds: float  # in-process, the second request (the first warms up)
    text: str
    # The CPU this process spent on it, the least of three requests: unlike elapsed time, not
    # inflated by whatever else the machine is running (on SQLite it includes the database's
    # work; on PostgreSQL the server's is not in it).
    cpu_seconds: float = 0.0


def query_counts(app, paths, role: str = "coordinator") -> dict[str, Counted]:
    """Each (label, path) requested in-process, signed in as `role`: its status, SQL queries
    and time. The test client speaks https (PREFERRED_URL_SCHEME), so CSRF checks the referrer."""
    from app.demo import kent
    from app.extensions import db
    from tests.helpers import QueryCounter

    client = app.test_client()
    token = csrf_token(client.get("/auth/sign-in").get_data(as_text=True))
    signed = client.post(
        "/auth/sign-in",
        data={"csrf_token": token, "email": _demo_email(role), "password": kent.DEMO_PASSWORD},
        headers={"Referer": "https://localhost/auth/sign-in"},
    )
    if signed.status_code != 302:
        raise RuntimeError(f"In-process sign-in failed with {signed.status_code}")
    counts = {}
    with app.app_context():
        for label, path in paths:
            client.get(path)  # warm up
            with QueryCounter(db.engine) as counter:
                started = time.perf_counter()
                response = client.get(path)
                seconds = time.perf_counter() - started
            cpu = []
            for _ in range(3):
                started = time.thread_time()
                client.get(path)
                cpu.append(time.thread_time() - started)
            counts[label] = Counted(
                response.status_code,
                counter.count,
                seconds,
                response.get_data(as_text=True),
                min(cpu),
            )
    return counts


def hit(url: str, cookie: str = "") -> float:
    """One GET; its time in seconds. Anything but a 200 with a body, or a redirect (a lost
    session), stops the run."""
    started = time.perf_counter()
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=120) as response:
        body = response.read()
        if response.status != 200 or not body:
            raise RuntimeError(f"{url} gave {response.status}")
        if response.geturl() != url:
            raise RuntimeError(f"{url} was redirected to {response.geturl()}")
    return time.perf_counter() - started


def production_workers() -> int:
    """gunicorn's own advice for sync workers: 2 x cores + 1."""
    return 2 * (os.cpu_count() or 1) + 1


def serve(
    module: str,
    port: int,
    env: dict,
    workers: int,
    threads: int = 4,
    timeout: int = 120,
    log=None,
) -> subprocess.Popen:
    """gunicorn serving `module` (e.g. "wsgi:app") on 127.0.0.1:port with production's settings
    (gunicorn.conf.py) but these workers, threads and timeout, and no access log; its log to
    `log` (an open file) when given. One thread gives gunicorn's sync workers."""
    return subprocess.Popen(
        [
            os.path.join(ROOT, ".venv", "bin", "gunicorn"),
            "--config",
            os.path.join(ROOT, "gunicorn.conf.py"),
            "--access-logfile",
            os.devnull,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            *(["--worker-class", "sync"] if threads == 1 else ["--threads", str(threads)]),
            "--timeout",
            str(timeout),
            "--log-level",
            "warning",
            module,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )


def stop(*processes: subprocess.Popen) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def worker_pids(master: int) -> list[int]:
    """The gunicorn master's workers."""
    found = subprocess.run(
        ["pgrep", "-P", str(master)], capture_output=True, text=True, check=False
    ).stdout.split()
    return [int(pid) for pid in found]


def _status_kib(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


def peak_rss_kib(pid: int) -> int:
    """The process's peak resident set size so far (VmHWM), in KiB."""
    return _status_kib(pid, "VmHWM")


def current_rss_kib(pid: int) -> int:
    return _status_kib(pid, "VmRSS")


def download(url: str, cookie: str) -> tuple[float, float, int, int]:
    """One streamed download: (seconds to first byte, total seconds, bytes, newlines)."""
    started = time.perf_counter()
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    size = lines = 0
    first = None
    with urllib.request.urlopen(request, timeout=900) as response:
        if response.status != 200 or response.geturl() != url:
            raise RuntimeError(f"{url} gave {response.status} at {response.geturl()}")
        while chunk := response.read(64 * 1024):
            if first is None:
                first = time.perf_counter() - started
            size += len(chunk)
            lines += chunk.count(b"\n")
    return first or 0.0, time.perf_counter() - started, size, lines


def wait_for(url: str) -> None:
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} never answered")


@dataclass
class Timing:
    rate: float  # requests a second
    median_ms: float
    p90_ms: float
    p95_ms: float
    max_ms: float


def measure(pool, url: str, cookie: str, requests: int, warm_up: int = 3) -> Timing:
    """`requests` GETs of `url` through the pool (after a few to warm up)."""
    list(pool.map(lambda u: hit(u, cookie), [url] * warm_up))
    started = time.perf_counter()
    timings = sorted(pool.map(lambda u: hit(u, cookie), [url] * requests))
    elapsed = time.perf_counter() - started
    twentieths = statistics.quantiles(timings, n=20, method="inclusive")
    return Timing(
        requests / elapsed,
        statistics.median(timings) * 1000,
        twentieths[17] * 1000,
        twentieths[18] * 1000,
        timings[-1] * 1000,
    )
