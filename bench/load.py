"""Load one URL with wrk (Debian's package) and read its figures: requests a second, the 50th and
99th percentile latency, and how many answers were not what a person should get (bench/wrk/
count.lua counts them: a 200 where a POST should redirect, a redirect where a page should show)."""

import os
import re
import shutil
import subprocess
from dataclasses import dataclass

LUA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wrk", "count.lua")
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class Load:
    rate: float  # requests a second
    p50_ms: float
    p99_ms: float
    requests: int
    unexpected: int  # answers with a status other than the expected ones
    errors: int  # socket errors (connect, read, write, timeout)


# A form's "sent once" token (app/forms.py SentOnce): each POST gets a new one, as each form a
# person fills in does; the same token again would be stored once and answered from the first.
FRESH = "token"


def wrk_missing() -> bool:
    return shutil.which("wrk") is None


def _ms(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not found:
        raise ValueError(f"Not a wrk duration: {text!r}")
    return float(found.group(1)) * UNITS_MS[found.group(2)]


def parse(output: str) -> Load:
    """wrk --latency's report, read."""
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    requests = re.search(r"(\d+) requests in", output)
    if not (rate and requests):
        raise RuntimeError(f"wrk said:\n{output}")
    unexpected = re.search(r"Unexpected status: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return Load(
        rate=float(rate.group(1)),
        p50_ms=_ms(p50.group(1)) if p50 else float("nan"),
        p99_ms=_ms(p99.group(1)) if p99 else float("nan"),
        requests=int(requests.group(1)),
        unexpected=int(unexpected.group(1)) if unexpected else 0,
        errors=sum(int(n) for n in errors.groups()) if errors else 0,
    )


def run(
    url: str,
    *,
    seconds: float,
    connections: int = 16,
    cookie: str = "",
    body_file: str = "",
    expect: str = "200",
    timeout_s: int = 60,
) -> Load:
    """`wrk -t1 -c<connections> -d<seconds> --latency` on url (a POST of body_file when given)."""
    env = dict(
        os.environ, WRK_COOKIE=cookie, WRK_BODY_FILE=body_file, WRK_EXPECT=expect, WRK_FRESH=FRESH
    )
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        f"--timeout={timeout_s}s",
        "--latency",
        "-s",
        LUA,
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    return parse(done.stdout + done.stderr)
