"""The scheduler of a distributed crawl: scrapy-redis's queue and duplicate filter, shared through
Redis, plus the in-flight bookkeeping that makes a killed worker lose nothing
(:mod:`zamanscraper.distributed.inflight`).

- Requests go through the shared ``RFPDupeFilter`` (``zaman:{crawl}:seen``) and into the shared
  ``PriorityQueue`` (``zaman:{crawl}:queue``). A request filtered there without a redirect
  behind it was queued by another worker (or an earlier life of this one): it is counted
  (``zaman/distributed/seen_elsewhere``) and marked so that it is not a fetch reject
  (``zamanscraper.dropped``).
- ``zaman/articles/requested`` counts the article requests this worker took from the queue.
- :meth:`next_request` first hands out this worker's own unfinished requests (left by a killed
  run, or taken over from a dead worker), then pops the queue into the in-flight hash. A request
  leaves the hash once the engine has fully handled its answer: records written by the feed
  exports, follow-up requests queued in Redis.
- The crawl is over for a worker only when the queue is empty and no worker has an unfinished
  request: until then it waits (a live worker may still queue more, a dead one's requests will
  be taken over). A finished crawl's keys expire after ``ZAMAN_REDIS_KEEP`` seconds, so a worker
  started late finds it done rather than starting it again.
"""

from __future__ import annotations

import logging
from collections import deque

import redis
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import load_object
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from twisted.internet import task

from zamanscraper import signals as zaman_signals
from zamanscraper.distributed import FIELD, SEEN_ELSEWHERE, crawl_prefix, redact, worker_name
from zamanscraper.distributed.inflight import InFlight

logger = logging.getLogger(__name__)


def connect(url: str) -> redis.Redis:
    """A checked connection to the Redis of ``ZAMAN_REDIS_URL``; NotConfigured with a one-line,
    password-free reason when it cannot be used."""
    try:
        server = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10,
                                      retry_on_timeout=True)
        server.ping()
    except (redis.RedisError, ValueError) as error:
        raise NotConfigured(f"ZAMAN_REDIS_URL {redact(url)}: {type(error).__name__}: {error}") from None
    return server


def server_of(settings, component: str) -> redis.Redis:
    """The checked connection to the Redis of ``ZAMAN_REDIS_URL`` for ``component``;
    NotConfigured without the setting."""
    url = settings.get("ZAMAN_REDIS_URL")
    if not url:
        raise NotConfigured(f"{component} needs ZAMAN_REDIS_URL")
    return connect(url)


class SharedScheduler:
    def __init__(self, crawler, server: redis.Redis):
        self.crawler = crawler
        self.settings = crawler.settings
        self.stats = crawler.stats
        self.server = server
        self.own: deque = deque()
        #: fields of this worker's hash whose retry waits (``retry_waiting``) outside the scheduler
        self.held: set[str] = set()
        self.inflight: InFlight | None = None
        self.heartbeat = None

    @classmethod
    def from_crawler(cls, crawler):
        scheduler = cls(crawler, server_of(crawler.settings, cls.__name__))
        crawler.signals.connect(scheduler.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(scheduler.retry_waiting, signal=zaman_signals.retry_waiting)
        return scheduler

    # --- open / close ----------------------------------------------------------------------

    def open(self, spider):
        self.spider = spider
        settings = self.settings
        worker = settings.get("ZAMAN_WORKER_ID") or worker_name(sorted(settings.getdict("FEEDS")))
        self.prefix = crawl_prefix(settings, spider.args)
        self.queue = PriorityQueue(self.server, spider, f"{self.prefix}:queue")
        self.df = RFPDupeFilter(self.server, f"{self.prefix}:seen",
                                debug=settings.getbool("DUPEFILTER_DEBUG"))
        self.inflight = InFlight(self.server, self.prefix, worker,
                                 settings.getfloat("ZAMAN_REDIS_WORKER_TIMEOUT"))
        self.inflight.beat()
        left = self.inflight.own()
        self._take(left)
        logger.info("Distributed crawl %s on Redis %s as worker %s: %d queued, %d unfinished of "
                    "an earlier run", self.prefix, redact(settings.get("ZAMAN_REDIS_URL")), worker,
                    len(self.queue), len(left))
        self.stats.set_value("zaman/distributed/resumed", len(left))
        self.heartbeat = task.LoopingCall(self.beat)
        self.heartbeat.start(max(0.5, self.inflight.timeout / 4), now=False)
        self._hook_engine()

    def _hook_engine(self) -> None:
        """Call :meth:`finished` for each request the engine is done with (records written,
        follow-ups queued). The engine has no signal for that moment; its slot's
        ``remove_request`` is it."""
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is None or not hasattr(slot, "remove_request"):
            raise RuntimeError("this Scrapy version has no engine slot remove_request: "
                               "distributed mode cannot track unfinished requests")
        remove = slot.remove_request

        def remove_request(request):
            self.finished(request)  # first: removing the last request may close the spider
            remove(request)

        slot.remove_request = remove_request

    def close(self, reason):
        if self.heartbeat is not None and self.heartbeat.running:
            self.heartbeat.stop()

    def spider_closed(self, spider=None, reason=None):
        if self.inflight is None:
            return
        self.inflight.stop()
        if self.held:
            logger.info("%d retries still waiting stay in Redis: a restart of this worker, or "
                        "another worker at once, fetches them", len(self.held))
        if not len(self.queue) and not self.inflight.anywhere():
            keep = self.settings.getint("ZAMAN_REDIS_KEEP")
            self.server.expire(self.df.key, keep)
            logger.info("Distributed crawl done: its duplicate filter expires in %d s", keep)

    def beat(self) -> None:
        if self.inflight is None:  # not open
            return
        try:
            self.inflight.beat()
            self._take(self.inflight.claim_dead())
        except redis.RedisError as error:
            logger.error("Redis heartbeat failed: %s", error)

    # --- scheduling ------------------------------------------------------------------------

    def _take(self, entries) -> None:
        for field, data in entries:
            request = self.queue._decode_request(data)
            request.meta[FIELD] = field
            self.own.append(request)

    def _mine(self, request, count: int) -> None:
        """Keep ``zaman/articles/requested`` to the article requests this worker takes from the
        queue (the monitors' denominator), not those its spider made for the shared queue."""
        if request.meta.get("zaman_key") is not None:
            self.stats.inc_value("zaman/articles/requested", count)

    def retry_waiting(self, request, spider=None) -> None:
        """A retry waits out its delay outside the scheduler: it replaces, in this worker's hash,
        the request it retries, and stays there until it is queued again."""
        field = request.meta.get(FIELD)
        if field is None or self.inflight is None:
            return
        self.held.add(field)
        self.inflight.keep(field, self.queue._encode_request(request))

    def _back_from_wait(self, request) -> tuple[InFlight, str] | None:
        """For a retry back from its wait (it leaves this worker's hash as it enters the queue):
        the hash and its field there; else None. Any request's field is dropped (a new one is
        given when it is taken from the queue)."""
        field = request.meta.pop(FIELD, None)
        if field not in self.held or self.inflight is None:
            return None
        self.held.discard(field)
        return self.inflight, field

    def enqueue_request(self, request) -> bool:
        self._mine(request, -1)
        back = self._back_from_wait(request)
        if not request.dont_filter and self.df.request_seen(request):
            if back is not None:
                back[0].done(back[1])
            if not request.meta.get("redirect_urls"):
                request.meta[SEEN_ELSEWHERE] = True
                self.stats.inc_value("zaman/distributed/seen_elsewhere")
            self.df.log(request, self.spider)
            return False
        if back is None:
            self.queue.push(request)
        else:
            inflight, field = back
            inflight.requeue(self.queue.key, field, self.queue._encode_request(request),
                             -request.priority)
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self):
        if self.own:
            request = self.own.popleft()
        else:
            popped = self.inflight.pop(self.queue.key)
            if popped is None:
                return None
            field, data = popped
            request = self.queue._decode_request(data)
            request.meta[FIELD] = field
            self.stats.inc_value("scheduler/dequeued/redis")
        self._mine(request, 1)
        return request

    def finished(self, request) -> None:
        field = request.meta.get(FIELD)
        if field is not None and self.inflight is not None and field not in self.held:
            self.inflight.done(field)

    def has_pending_requests(self) -> bool:
        return (bool(self.own) or bool(len(self.queue))
                or (self.inflight is not None and self.inflight.anywhere()))

    def __len__(self) -> int:
        return len(self.own) + len(self.queue)


def scheduler_path() -> str:
    """The ``SCHEDULER`` setting value of distributed mode (checked importable).

    >>> scheduler_path()
    'zamanscraper.distributed.scheduler.SharedScheduler'
    """
    path = f"{__name__}.{SharedScheduler.__name__}"
    load_object(path)
    return path
