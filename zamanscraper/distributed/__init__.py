"""One crawl shared by several workers (processes or machines) through Redis, with scrapy-redis.

``-s ZAMAN_REDIS_URL=redis://:PASSWORD@HOST:PORT/0`` (or the environment variable
``SCRAPY_ZAMAN_REDIS_URL``, which keeps the password out of ``ps``) switches a crawl to
distributed mode (:mod:`zamanscraper.distributed.addon`); without it nothing here is imported
and nothing needs Redis. Workers started with the identical command line share one crawl: one
request queue and one duplicate filter in Redis (:mod:`zamanscraper.distributed.scheduler`), so
every article is fetched once across them, whoever starts first. The spider's own ``start()``
feeds the shared queue; its requests that another worker already queued are filtered by the
shared duplicate filter.

Requests a worker has taken from the queue are kept in its in-flight hash until their answer is
fully handled (records written); a worker killed mid-crawl leaves them there
(:mod:`zamanscraper.distributed.inflight`): restarted with the same command (same worker id) it
fetches them first, and another worker takes them over once the dead one has missed its
heartbeats for ``ZAMAN_REDIS_WORKER_TIMEOUT`` seconds. Each worker writes its own output;
``python -m zamanscraper merge`` loads them as one dataset (:mod:`zamanscraper.distributed.merge`).

Every record a worker writes is noted in Redis (:mod:`zamanscraper.distributed.written`), so a
rerun of the crawl skips what any worker wrote, as a one-process rerun skips what its output holds.

Redis keys, per crawl (``ZAMAN_REDIS_CRAWL``, default a digest of the spider arguments):
``zaman:{crawl}:queue`` (sorted set of requests), ``zaman:{crawl}:seen`` (fingerprints),
``zaman:{crawl}:inflight:{worker}`` (hash), ``zaman:{crawl}:alive:{worker}`` (heartbeat),
``zaman:{crawl}:written`` (hash of the articles written, kept across reruns).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import socket
from urllib.parse import urlsplit

#: request meta key: the request's field in this worker's in-flight hash
FIELD = "zaman_inflight"
#: request meta key: dropped by the shared duplicate filter because some worker queued it already
SEEN_ELSEWHERE = "zaman_seen_elsewhere"


def redact(url: str) -> str:
    """A Redis URL fit for a log line: the password (and user) replaced by ``***``.

    >>> redact("redis://:s3cret@10.0.0.5:6379/0")
    'redis://***@10.0.0.5:6379/0'
    >>> redact("redis://127.0.0.1:6379")
    'redis://127.0.0.1:6379'
    """
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return parts._replace(netloc=f"***@{host}").geturl()


def crawl_name(spider_args) -> str:
    """The shared crawl's name: a digest of the spider's parsed arguments (scrapyd's ``_job`` and
    other ``_`` names aside), so identical command lines share one crawl.

    >>> from zamanscraper.arguments import parse
    >>> crawl_name(parse(ids="1-50")) == crawl_name(parse(ids="1-50", _job="x"))
    True
    >>> crawl_name(parse(ids="1-50")) == crawl_name(parse(ids="1-51"))
    False
    """
    fields = dataclasses.asdict(spider_args)
    fields.pop("extra", None)
    canonical = json.dumps(fields, sort_keys=True, default=str)
    return hashlib.sha1(canonical.encode()).hexdigest()[:12]


def crawl_prefix(settings, spider_args) -> str:
    """The prefix of the shared crawl's Redis keys: ``zaman:{ZAMAN_REDIS_CRAWL or crawl_name}``.

    >>> from zamanscraper.arguments import parse
    >>> crawl_prefix({"ZAMAN_REDIS_CRAWL": "nightly"}, parse(ids="1-50"))
    'zaman:nightly'
    """
    return f"zaman:{settings.get('ZAMAN_REDIS_CRAWL') or crawl_name(spider_args)}"


def worker_name(outputs: list[str], *, host: str | None = None, cwd: str | None = None) -> str:
    """The default worker id: the host and a digest of the working directory and outputs, so the
    same command restarted on the same machine is the same worker, and two workers writing
    different outputs are different ones.

    >>> worker_name(["a.jsonl"], host="h1", cwd="/w") == worker_name(["a.jsonl"], host="h1", cwd="/w")
    True
    >>> worker_name(["a.jsonl"], host="h1", cwd="/w") == worker_name(["b.jsonl"], host="h1", cwd="/w")
    False
    """
    host = host or socket.gethostname()
    cwd = cwd or os.getcwd()
    digest = hashlib.sha1(json.dumps([cwd, sorted(outputs)]).encode()).hexdigest()[:10]
    return f"{host}-{digest}"
