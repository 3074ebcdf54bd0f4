"""Scrapy add-on (``ADDONS``) that switches a crawl to distributed mode when a Redis URL is given.

The URL comes from the ``ZAMAN_REDIS_URL`` setting or, failing that, the environment variable of
the same name (which keeps the password off the command line). Without one the add-on does
nothing and nothing imports scrapy-redis or needs Redis. With one it sets ``SCHEDULER`` to
:class:`zamanscraper.distributed.scheduler.SharedScheduler` (the shared queue and duplicate
filter). The URL is never logged with its password: Scrapy's "Overridden settings" line lists
only its own settings, and ours log it through :func:`zamanscraper.distributed.redact`.
"""

from __future__ import annotations

import os

from scrapy.exceptions import NotConfigured

ENV = "ZAMAN_REDIS_URL"


class RedisCrawl:
    def update_settings(self, settings) -> None:
        url = settings.get("ZAMAN_REDIS_URL") or os.environ.get(ENV)
        if not url:
            raise NotConfigured("no ZAMAN_REDIS_URL: a one-process crawl")
        from zamanscraper.distributed.scheduler import scheduler_path  # scrapy-redis only when used

        if settings.getpriority("ZAMAN_REDIS_URL") is None or not settings.get("ZAMAN_REDIS_URL"):
            settings.set("ZAMAN_REDIS_URL", url, priority="addon")
        settings.set("SCHEDULER", scheduler_path(), priority="addon")
