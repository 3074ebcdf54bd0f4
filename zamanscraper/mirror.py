"""A tiny threaded HTTP server for an offline mirror in ``wget -x`` layout (``host/path``).

Request path ``P`` serves file ``ROOT/P``, or ``ROOT/P/index.html`` when ``P`` is a directory;
query strings are ignored; a missing file answers 404. ``ROOT/_meta.json`` can override
statuses and headers per path::

    {"status": {"/en.zamanalwsl.net/news/article/123": 403},
     "headers": {"/en.zamanalwsl.net/rss.php": {"Content-Type": "text/plain"}}}

Content-Type comes from the extension (``.html`` and extensionless files are HTML; ``rss.php``
and ``/news/rss/…`` are RSS). Used by the tests, by ``python -m zamanscraper serve-mirror`` and
``demo``, and by the spider's ``mirror=`` argument (``zamanscraper.urls.to_mirror``).
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

logger = logging.getLogger(__name__)

#: the bundled offline mirror (package data; written by ``tests/fixtures/build_fixtures.py``)
DEFAULT_ROOT = Path(__file__).resolve().parent / "demo_site"
META_FILE = "_meta.json"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".bin": "application/octet-stream",
}
RSS = "application/rss+xml; charset=utf-8"


def content_type(path: str) -> str:
    """Content-Type for a request path (of the mirror, ``/host/…``).

    >>> content_type("/en.zamanalwsl.net/news/article/5")
    'text/html; charset=utf-8'
    >>> content_type("/www.zamanalwsl.net/news/rss/94/")
    'application/rss+xml; charset=utf-8'
    >>> content_type("/en.zamanalwsl.net/rss.php"), content_type("/x/uploads/a.png")
    ('application/rss+xml; charset=utf-8', 'image/png')
    """
    if path.endswith("/rss.php") or "/news/rss/" in path:
        return RSS
    name = path.rstrip("/").rsplit("/", 1)[-1]
    suffix = "." + name.rsplit(".", 1)[1].lower() if "." in name else ""
    return CONTENT_TYPES.get(suffix, "text/html; charset=utf-8" if not suffix or suffix == ".php"
                             else "application/octet-stream")


def load_meta(root: Path) -> dict:
    """``_meta.json`` of a mirror root, ``{"status": {}, "headers": {}}`` when absent."""
    meta_path = root / META_FILE
    meta: dict[str, dict] = {"status": {}, "headers": {}}
    if meta_path.is_file():
        loaded = json.loads(meta_path.read_text(encoding="utf-8"))
        meta["status"].update(loaded.get("status") or {})
        meta["headers"].update(loaded.get("headers") or {})
    return meta


class MirrorServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, root: Path, requests: list | None = None):
        super().__init__(address, MirrorHandler)
        self.root = root.resolve()
        self.meta = load_meta(self.root)
        #: every requested path (with query), in arrival order
        self.requested: list[str] = requests if requests is not None else []

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        if isinstance(host, bytes):
            host = host.decode()
        return f"http://{host}:{port}"


class MirrorHandler(BaseHTTPRequestHandler):
    server: MirrorServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 -- stdlib signature
        logger.debug("%s %s", self.address_string(), format % args)

    def do_HEAD(self):
        self._serve(body=False)

    def do_GET(self):
        self._serve(body=True)

    def _lookup(self, table: dict, path: str):
        for candidate in (path, path.rstrip("/"), path.rstrip("/") + "/"):
            if candidate in table:
                return table[candidate]
        return None

    def _file_for(self, path: str) -> Path | None:
        try:
            target = (self.server.root / path.lstrip("/")).resolve()
            if target != self.server.root and self.server.root not in target.parents:
                return None  # ../ outside the root
            if target.is_dir():
                target = target / "index.html"
            return target if target.is_file() else None
        except (OSError, ValueError):  # NUL bytes, names too long: no such file
            return None

    def _serve(self, body: bool):
        self.server.requested.append(self.path)
        path = unquote(urlsplit(self.path).path)
        meta = self.server.meta
        file = self._file_for(path) if path.rstrip("/") != "/" + META_FILE else None
        status = self._lookup(meta["status"], path)
        if file is not None:
            data = file.read_bytes()
            status = status or 200
        else:
            status = status or 404
            data = f"{status} {path}\n".encode()
        headers = {"Content-Type": content_type(path) if file else "text/plain; charset=utf-8"}
        headers.update(self._lookup(meta["headers"], path) or {})
        if status in (301, 302, 303, 307, 308) and "Location" not in headers:
            status = 500
        self.send_response(int(status))
        for name, value in headers.items():
            self.send_header(name, str(value))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            try:
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                # the client gave up (e.g. Scrapy's DOWNLOAD_MAXSIZE): its side records it
                logger.debug("client closed the connection during %s", self.path)


@contextlib.contextmanager
def serve(
    root: str | Path = DEFAULT_ROOT,
    host: str = "127.0.0.1",
    port: int = 0,
    requests: list | None = None,
) -> Iterator[str]:
    """Serve ``root`` in a background thread; yields the base URL (``http://127.0.0.1:PORT``).

    ``port=0`` lets the OS pick a free port. Pass a list as ``requests`` to have every
    requested path (with its query) appended to it, in arrival order.
    """
    server = MirrorServer((host, port), Path(root), requests)
    thread = threading.Thread(target=server.serve_forever, name="zaman-mirror", daemon=True)
    thread.start()
    try:
        yield server.base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
