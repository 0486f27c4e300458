"""Load the public plan pages served by gunicorn on 127.0.0.1 and print what we measured.

    .venv/bin/python bench/plan_pages.py [--actions 2000] [--requests 400] [--concurrency 8]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/plan_pages.py

It builds a fresh database (migrations + demo seed + volume data: many actions, each with a
status history), starts gunicorn on a free local port, sends a bounded number of requests to
each page from a thread pool, and prints throughput, latency percentiles and the number of SQL
queries each page runs. Nothing leaves this machine.
"""

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build(database_url: str, actions: int) -> None:
    os.environ.update(
        DATABASE_URL=database_url,
        SECRET_KEY="bench-only-throwaway-key-for-a-local-benchmark",
        SITE_URL="http://127.0.0.1",
        ALLOW_FILE_MAIL="1",  # nothing is sent: production refuses the file backend otherwise
        FLASK_CONFIG="production",
    )
    from flask_migrate import upgrade
    from sqlalchemy import text

    from app import create_app
    from app.demo import seed
    from app.extensions import db
    from app.models import Action, ActionStatus, ActionUpdate, Area, Organisation

    app = create_app("production")
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        seed(with_demo_users=False)
        areas = db.session.scalars(db.select(Area)).all()
        owners = db.session.scalars(db.select(Organisation)).all()
        statuses = [s.value for s in ActionStatus]
        rng = random.Random(7)
        for n in range(actions):
            action = Action(
                reference=f"VOL-{n:05d}",
                title=f"Volume action {n}",
                description="Generated for the benchmark.",
                owner=rng.choice(owners),
                lead="Bench lead",
                due_date=date(2027, 1, 1) + timedelta(days=n % 365),
                status=rng.choice(statuses),
                progress=rng.randrange(0, 101),
                areas=rng.sample(areas, k=rng.randint(1, 3)),
            )
            db.session.add(action)
            for step in range(10):
                db.session.add(
                    ActionUpdate(
                        action=action,
                        status=rng.choice(statuses),
                        previous_status=rng.choice(statuses),
                        progress=step * 10,
                        note=f"Update {step}",
                    )
                )
            if n % 500 == 499:
                db.session.commit()
        db.session.commit()
    return app


def query_counts(app, paths):
    from app.extensions import db
    from tests.helpers import QueryCounter

    client = app.test_client()
    counts = {}
    with app.app_context():
        for path in paths:
            client.get(path)  # warm up
            with QueryCounter(db.engine) as counter:
                status = client.get(path).status_code
            counts[path] = (status, counter.count)
    return counts


def hit(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url} gave {response.status}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--actions", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=400, help="requests per page")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="send-voice-bench-")
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite"
    print(
        f"Building {database_url.split('@')[-1]} with {args.actions} extra actions x 10 updates ..."
    )
    started = time.perf_counter()
    app = build(database_url, args.actions)
    print(f"  built in {time.perf_counter() - started:.1f}s")

    paths = ["/", "/areas", "/areas/2", "/actions/APP-1.1", "/actions/VOL-00042", "/healthz"]
    print("\nSQL queries per page (must not grow with data):")
    for path, (status, count) in query_counts(app, paths).items():
        print(f"  {path:<22} {status}  {count} queries")

    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        SECRET_KEY="bench-only-throwaway-key-for-a-local-benchmark",
        SITE_URL="http://127.0.0.1",
        ALLOW_FILE_MAIL="1",  # nothing is sent: production refuses the file backend otherwise
        FLASK_CONFIG="production",
    )
    server = subprocess.Popen(
        [
            os.path.join(ROOT, ".venv", "bin", "gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            "4",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                hit(base + "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        print(
            f"\ngunicorn: {args.workers} workers x 4 threads; {args.requests} requests per page, "
            f"{args.concurrency} at a time"
        )
        print(f"  {'page':<22} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            for path in paths:
                list(pool.map(hit, [base + path] * 20))  # warm up
                started = time.perf_counter()
                timings = sorted(pool.map(hit, [base + path] * args.requests))
                elapsed = time.perf_counter() - started
                q = statistics.quantiles(timings, n=100)
                p50, p95, p99 = (q[i] * 1000 for i in (49, 94, 98))
                print(
                    f"  {path:<22} {args.requests / elapsed:8.1f} {p50:8.1f} {p95:8.1f} {p99:8.1f}"
                )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
