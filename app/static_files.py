"""Static files in production: names that change when the content does, so a browser keeps each
file for a year and never asks again; Brotli and gzip copies; served by WhiteNoise.

`flask assets` (run by `make assets`, after npm has built app/static/dist) writes the build into
STATIC_BUILD_DIR: `static/` holds every file of app/static but the Sass sources, twice, under its
own name and under a fingerprinted one (`dist/app.3f2a9c1b7d4e.css`), with the references
between files (a stylesheet's fonts, a script's imports, a source map) pointing at fingerprinted
names, and `.br` and `.gz` copies of what compresses; `manifest.json` maps each name to its
fingerprinted one.

When the app starts with a build, `url_for('static', filename=...)` gives the fingerprinted name
and WhiteNoise answers /static/ from the build: fingerprinted names with a year's `immutable`
cache, plain names (a bookmark, a cached page from before a deploy) for a minute, each as .br or
.gz when the browser accepts it. A file that is not in the build falls through to Flask, which
serves app/static as it is or shows the 404 page.
"""

import hashlib
import json
import logging
import posixpath
import re
import shutil
from pathlib import Path

from flask import Flask
from whitenoise import WhiteNoise
from whitenoise.compress import main as compress

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
# Folders of app/static that npm builds into others; never served.
SOURCES_ONLY = {"scss"}
# How long a browser may keep a file served under its plain name before asking again.
PLAIN_NAME_MAX_AGE = 60
# Files whose text names other static files: CSS url(...), ES module imports, source maps.
REFERRING_SUFFIXES = {".css", ".js", ".mjs"}
REFERENCE = re.compile(
    rb"""url\(\s*["']?([^"')?#\s]+)"""
    rb"""|\b(?:from|import)\s*\(?\s*["']([^"']+)["']"""
    rb"""|sourceMappingURL=([^\s*]+)"""
)


def fingerprinted_name(name: str, content: bytes) -> str:
    """`dist/app.css` -> `dist/app.<first 12 hex digits of the content's SHA-256>.css`."""
    stem, dot, suffix = name.rpartition(".")
    digest = hashlib.sha256(content).hexdigest()[:12]
    return f"{stem}.{digest}.{suffix}" if dot and "/" not in suffix else f"{name}.{digest}"


def _referenced_name(referrer: str, reference: str, static_url: str) -> str:
    """The static file a reference in `referrer` points at, as a name relative to app/static."""
    if reference.startswith(static_url + "/"):
        return reference[len(static_url) + 1 :]
    if reference.startswith(("/", "data:", "http:", "https:")):
        return ""
    return posixpath.normpath(posixpath.join(posixpath.dirname(referrer), reference))


def _rewrite(name: str, content: bytes, manifest: dict, static_url: str) -> tuple[bytes, set]:
    """The content with references to files in the manifest pointing at their fingerprinted
    names, and the names of static files it refers to that are not in the manifest yet."""
    waiting = set()

    def replace(match: re.Match) -> bytes:
        group = next(number for number in (1, 2, 3) if match.group(number) is not None)
        reference = match.group(group).decode()
        target = _referenced_name(name, reference, static_url)
        if target not in manifest:
            waiting.add(target)
            return match.group(0)
        new = posixpath.join(posixpath.dirname(reference), posixpath.basename(manifest[target]))
        start, end = match.start(group) - match.start(), match.end(group) - match.start()
        whole = match.group(0)
        return whole[:start] + new.encode() + whole[end:]

    if Path(name).suffix not in REFERRING_SUFFIXES:
        return content, waiting
    return REFERENCE.sub(replace, content), waiting


def build(source: Path, target: Path, static_url: str = "/static") -> dict[str, str]:
    """Write the build of `source` (app/static) into `target`; returns the manifest.

    A file is fingerprinted after the files it refers to, so that its own fingerprint changes
    when theirs do. Nothing is left of an earlier build."""
    files = {
        path.relative_to(source).as_posix(): path.read_bytes()
        for path in sorted(source.rglob("*"))
        if path.is_file() and path.relative_to(source).parts[0] not in SOURCES_ONLY
    }
    manifest: dict[str, str] = {}
    written: dict[str, bytes] = {}
    pending = dict(files)
    while pending:
        ready = {}
        for name, content in pending.items():
            rewritten, waiting = _rewrite(name, content, manifest, static_url)
            if not (waiting & files.keys()) - {name}:
                ready[name] = rewritten
        # Files that refer to each other in a circle keep the plain names between them.
        for name in list(ready or pending):
            content = ready.get(name) or _rewrite(name, pending[name], manifest, static_url)[0]
            manifest[name] = fingerprinted_name(name, content)
            written[name] = written[manifest[name]] = content
            del pending[name]

    shutil.rmtree(target, ignore_errors=True)
    for name, content in written.items():
        path = target / "static" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    compress(["--quiet", str(target / "static")])
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return manifest


class StaticFiles(WhiteNoise):
    """WhiteNoise, keeping fingerprinted files for a year (its own "forever" is ten)."""

    FOREVER = 365 * 24 * 60 * 60


def init_static_files(app: Flask) -> None:
    """Serve the build, when there is one and SERVE_STATIC_BUILD is on (development serves
    app/static as it is edited)."""
    build_dir = app.config.get("STATIC_BUILD_DIR")
    if not (build_dir and app.config.get("SERVE_STATIC_BUILD")):
        return
    try:
        manifest = json.loads((Path(build_dir) / MANIFEST).read_text())
    except FileNotFoundError:
        if not app.testing:
            log.warning(
                "Static files are not built (no %s): pages name them plainly and browsers ask "
                "for every file again on every page. Run `make assets` before starting.",
                Path(build_dir) / MANIFEST,
            )
        return
    static_url = app.static_url_path
    fingerprinted = {f"{static_url}/{name}" for name in manifest.values()}

    @app.url_defaults
    def fingerprinted_static_name(endpoint: str, values: dict) -> None:
        if endpoint == "static" and values.get("filename") in manifest:
            values["filename"] = manifest[values["filename"]]

    def security_headers(headers, _path: str, _url: str) -> None:
        headers["X-Content-Type-Options"] = "nosniff"

    app.wsgi_app = StaticFiles(
        app.wsgi_app,
        root=str(Path(build_dir) / "static"),
        prefix=static_url,
        max_age=PLAIN_NAME_MAX_AGE,
        immutable_file_test=lambda _path, url: url in fingerprinted,
        add_headers_function=security_headers,
    )
