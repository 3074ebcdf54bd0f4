"""A real ``redis-server`` for tests and benchmarks: 127.0.0.1, an OS-picked free port, a
password, no persistence; stopped (SIGTERM, then SIGKILL) when the block ends."""

from __future__ import annotations

import contextlib
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass
class RedisServer:
    port: int
    password: str

    @property
    def url(self) -> str:
        return f"redis://:{self.password}@127.0.0.1:{self.port}/0"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def binary() -> str | None:
    return shutil.which("redis-server")


@contextlib.contextmanager
def serve(directory) -> Iterator[RedisServer]:
    """``redis-server`` running in ``directory`` until the block ends."""
    server = RedisServer(free_port(), secrets.token_hex(16))
    process = subprocess.Popen(
        [binary() or "redis-server", "--bind", "127.0.0.1", "--port", str(server.port),
         "--requirepass", server.password, "--save", "", "--appendonly", "no",
         "--dir", str(directory), "--protected-mode", "yes"],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", server.port), 0.2):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start (exit {process.poll()})")
            time.sleep(0.05)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
