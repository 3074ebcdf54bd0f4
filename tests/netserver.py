"""A loopback HTTP server for hostile network cases (challenge pages, redirects, slow retries).

Each path answers from a route table: ``{path: answer}`` where an answer is ``(status, headers,
body)`` or a function of the hit number (1 = first request of that path) returning one.
Unknown paths answer 404. Every request path is logged in arrival order.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Answer = tuple[int, dict, bytes]


class NetServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, routes: dict[str, Answer | Callable[[int], Answer]]):
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes = routes
        self.log: list[str] = []
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def hits(self, path: str) -> int:
        with self.lock:
            return self.log.count(path)


class Handler(BaseHTTPRequestHandler):
    server: NetServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 -- stdlib signature; keep test output quiet
        pass

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        with self.server.lock:
            self.server.log.append(path)
            hit = self.server.log.count(path)
        answer = self.server.routes.get(path, (404, {}, b"not found"))
        status, headers, body = answer(hit) if callable(answer) else answer
        self.send_response(status)
        headers = {"Content-Type": "text/html; charset=utf-8", **headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def serve(routes) -> Iterator[NetServer]:
    """Run a :class:`NetServer` on 127.0.0.1 with an OS-picked port for the ``with`` block."""
    server = NetServer(routes)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
