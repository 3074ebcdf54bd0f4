"""Duplicate filter that forgets everything between runs (``DUPEFILTER_CLASS``).

Scrapy's ``RFPDupeFilter`` keeps the fingerprints of a ``JOBDIR`` crawl in ``requests.seen``.
After a ``kill -9`` that file may hold requests that were scheduled but never done, while the
disk queue that held them is lost: a resumed crawl would filter them out when it rediscovers
them, and their articles would be lost. This filter keeps fingerprints in memory for one run
only; what is already done is known from the output and the seen-store instead
(``zamanscraper.output``, ``zamanscraper.seen``), which are written before anything counts as
done.
"""

from __future__ import annotations

from scrapy.dupefilters import RFPDupeFilter


class RunDupeFilter(RFPDupeFilter):
    @classmethod
    def from_crawler(cls, crawler):
        return cls(None, crawler.settings.getbool("DUPEFILTER_DEBUG"),
                   fingerprinter=crawler.request_fingerprinter)
