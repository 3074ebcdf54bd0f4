"""Requests a worker has taken from the shared queue and not finished, kept in Redis.

scrapy-redis pops a request from the queue before downloading it: a worker killed then loses it.
Here the pop and the note "worker W has it" are one atomic Redis script: the request moves from
the queue (sorted set) into the worker's in-flight hash, and leaves that hash only when its
answer has been fully handled (:meth:`InFlight.done`). A retry waiting out its backoff delay
outside the scheduler stays on file there (:meth:`InFlight.keep`) until it goes back to the
queue (:meth:`InFlight.requeue`, atomic too). A worker refreshes its heartbeat key
(``alive``, expiring after ``timeout`` seconds) while it runs; the in-flight hash of a worker
whose heartbeat has expired is taken over, atomically, by the first live worker that looks
(:meth:`InFlight.claim_dead`).
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

#: KEYS: queue, in-flight hash. Pops the best request and files it under its sha1; returns
#: {field, data} or nil
POP = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0)
if #r == 0 then return nil end
redis.call('ZREM', KEYS[1], r[1])
local field = redis.sha1hex(r[1])
redis.call('HSET', KEYS[2], field, r[1])
return {field, r[1]}
"""

#: KEYS: dead worker's heartbeat, dead worker's in-flight hash, own in-flight hash. Moves every
#: entry over unless the dead worker is alive again; returns the moved {field, data, ...}
CLAIM = """
if redis.call('EXISTS', KEYS[1]) == 1 then return {} end
local entries = redis.call('HGETALL', KEYS[2])
for i = 1, #entries, 2 do
  redis.call('HSET', KEYS[3], entries[i], entries[i + 1])
end
redis.call('DEL', KEYS[2])
return entries
"""


def pairs(flat: list) -> list[tuple[str, bytes]]:
    """``[f1, v1, f2, v2]`` -> ``[(f1, v1), (f2, v2)]``, fields as text.

    >>> pairs([b"a", b"1", b"b", b"2"])
    [('a', b'1'), ('b', b'2')]
    """
    return [(flat[i].decode() if isinstance(flat[i], bytes) else flat[i], flat[i + 1])
            for i in range(0, len(flat), 2)]


class InFlight:
    """The in-flight bookkeeping of one worker of the crawl whose keys start with ``prefix``."""

    def __init__(self, server, prefix: str, worker: str, timeout: float):
        self.server = server
        self.prefix = prefix
        self.worker = worker
        self.timeout = timeout
        self.key = self.inflight_key(worker)
        self._pop = server.register_script(POP)
        self._claim = server.register_script(CLAIM)

    def inflight_key(self, worker: str) -> str:
        return f"{self.prefix}:inflight:{worker}"

    def alive_key(self, worker: str) -> str:
        return f"{self.prefix}:alive:{worker}"

    def beat(self) -> None:
        """This worker is alive for another ``timeout`` seconds."""
        self.server.set(self.alive_key(self.worker), b"1", px=int(self.timeout * 1000))

    def stop(self) -> None:
        self.server.delete(self.alive_key(self.worker))

    def pop(self, queue_key: str) -> tuple[str, bytes] | None:
        """The best request of the queue, now in this worker's hash: ``(field, data)``."""
        found = self._pop(keys=[queue_key, self.key])
        if not found:
            return None
        field, data = found
        return (field.decode() if isinstance(field, bytes) else field), data

    def done(self, field: str) -> None:
        self.server.hdel(self.key, field)

    def keep(self, field: str, data: bytes) -> None:
        """The request filed under ``field`` is now ``data`` (its retry, waiting to be queued)."""
        self.server.hset(self.key, field, data)

    def requeue(self, queue_key: str, field: str, data: bytes, score: float) -> None:
        """Put ``data`` into the queue and take ``field`` off this worker's hash, in one step."""
        with self.server.pipeline(transaction=True) as pipe:
            pipe.execute_command("ZADD", queue_key, score, data)
            pipe.hdel(self.key, field)
            pipe.execute()

    def own(self) -> list[tuple[str, bytes]]:
        """What this worker's hash holds: left by an earlier run of the same worker, killed."""
        return sorted((field.decode() if isinstance(field, bytes) else field, data)
                      for field, data in self.server.hgetall(self.key).items())

    def others(self) -> list[str]:
        """Workers other than this one with in-flight requests."""
        start = len(f"{self.prefix}:inflight:")
        names = (key.decode() if isinstance(key, bytes) else key
                 for key in self.server.scan_iter(match=f"{self.prefix}:inflight:*", count=500))
        return [name[start:] for name in names if name != self.key]

    def claim_dead(self) -> list[tuple[str, bytes]]:
        """Take over the in-flight requests of every worker whose heartbeat expired."""
        taken = []
        for worker in self.others():
            moved = pairs(self._claim(keys=[self.alive_key(worker), self.inflight_key(worker), self.key]))
            if moved:
                logger.warning("Worker %s stopped sending heartbeats: taking over its %d unfinished "
                               "requests", worker, len(moved))
                taken.extend(moved)
        return taken

    def anywhere(self) -> bool:
        """True while any worker (this one included) has an unfinished request."""
        return bool(self.server.exists(self.key)) or bool(self.others())
